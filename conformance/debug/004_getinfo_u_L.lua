-- nups, nparams, isvararg, activelines
local a, b = 1, 2
local function f(x, y)
  local s = a + b
  return s + x + y
end
local function v(...)
  return ...
end
local i = debug.getinfo(f, "uL")
print(i.nups, i.nparams, i.isvararg)
local lines = {}
for l in pairs(i.activelines) do lines[#lines + 1] = l end
table.sort(lines)
print(table.concat(lines, " "))
i = debug.getinfo(v, "u")
print(i.nups, i.nparams, i.isvararg)
i = debug.getinfo(1, "u")
print(i.nups, i.nparams, i.isvararg)
i = debug.getinfo(print, "uL")
print(i.nups, i.nparams, i.isvararg, i.activelines)

-- expect: 2	2	false
-- expect: 4 5 6
-- expect: 0	0	true
-- expect: 1	0	true
-- expect: 0	0	true	nil
