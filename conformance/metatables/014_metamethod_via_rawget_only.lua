local mt = setmetatable({}, {__index = function(_, k) if k == "__add" then return function() return 1 end end end})
local t = setmetatable({}, mt)
print(pcall(function() return t + t end)) -- expect: false	conformance/metatables/014_metamethod_via_rawget_only.lua:3: attempt to perform arithmetic on a table value (upvalue 't')
