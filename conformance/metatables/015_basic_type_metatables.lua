-- a literal can be indexed (and fails as Lua says); debug.setmetatable gives numbers a metatable
print(pcall(function() return (10)[3] end)) -- expect: false	conformance/metatables/015_basic_type_metatables.lua:2: attempt to index a number value
print(pcall(function() return ("abc").x, (true)[1] end)) -- expect: false	conformance/metatables/015_basic_type_metatables.lua:3: attempt to index a boolean value
local mt = {__index = function(a, b) return a + b end, __len = function(x) return math.floor(x) end}
debug.setmetatable(10, mt)
print(getmetatable(-2) == mt, (10)[3], (10)["3"], #3.45) -- expect: true	13	13	3
debug.setmetatable(23, nil)
print(getmetatable(-2), pcall(function() return #3 end)) -- expect: nil	false	conformance/metatables/015_basic_type_metatables.lua:8: attempt to get length of a number value
debug.setmetatable(nil, {__index = function() return "from nil" end})
local x
print(x.anything) -- expect: from nil
debug.setmetatable(nil, nil)
print(pcall(function() return x.y end)) -- expect: false	conformance/metatables/015_basic_type_metatables.lua:13: attempt to index a nil value (upvalue 'x')
