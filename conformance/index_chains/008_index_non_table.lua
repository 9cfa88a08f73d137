local t = setmetatable({}, {__index = 5})
print(pcall(function() return t.x end)) -- expect: false	conformance/index_chains/008_index_non_table.lua:2: attempt to index a number value
