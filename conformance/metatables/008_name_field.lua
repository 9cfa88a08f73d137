local t = setmetatable({}, {__name = "MyType"})
print((tostring(t):gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR"))) -- expect: MyType: ADDR
print(pcall(function() return t + 1 end)) -- expect: false	conformance/metatables/008_name_field.lua:3: attempt to perform arithmetic on a MyType value (upvalue 't')
