local a, b = {}, {}
setmetatable(a, {__newindex = b})
setmetatable(b, {__newindex = a})
print(pcall(function() a.x = 1 end)) -- expect: false	conformance/index_chains/007_newindex_loop_detection.lua:4: '__newindex' chain too long; possible loop
