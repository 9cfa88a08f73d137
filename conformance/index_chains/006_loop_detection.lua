local t = {}
setmetatable(t, {__index = t})
print(pcall(function() return t.x end)) -- expect: false	conformance/index_chains/006_loop_detection.lua:3: '__index' chain too long; possible loop
local a, b = {}, {}
setmetatable(a, {__index = b})
setmetatable(b, {__index = a})
print(pcall(function() return a.x end)) -- expect: false	conformance/index_chains/006_loop_detection.lua:7: '__index' chain too long; possible loop
