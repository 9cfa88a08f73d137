-- line hooks: each new line of a called function
local lines = {}
local function f()
  local a = 1
  a = a + 1
  local b = a * 2
  return b
end
local function hook(event, line)
  if debug.getinfo(2, "f").func == f then lines[#lines + 1] = event .. line end
end
debug.sethook(hook, "l")
f()
debug.sethook()
print(table.concat(lines, " ")) -- expect: line4 line5 line6 line7
