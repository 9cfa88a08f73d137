-- expect: instructions
-- chains walked by builtins (rawlen is raw, table.concat and table.unpack are not)
local t = {}
for i = 1, 1000 do t = setmetatable({}, {__index = t}) end
while true do pcall(table.concat, t, ",", 1, 3) pcall(table.unpack, t, 1, 3) end
