-- ftransfer/ntransfer: the values a call receives and a return gives, read with getlocal
local on, inp, out = false
local function hook(event)
  if not on then return end
  local ar = debug.getinfo(2, "r")
  local t = {}
  for i = ar.ftransfer, ar.ftransfer + ar.ntransfer - 1 do
    local _, v = debug.getlocal(2, i)
    t[#t + 1] = tostring(v)
  end
  if event == "return" then out = table.concat(t, ",") else inp = table.concat(t, ",") end
end
debug.sethook(hook, "cr")
on = true; select(2, 10, 20, 30); on = false
print(inp, out) -- expect: 2,10,20,30	20,30
local function foo(a, ...) return ... end
local function foo1() on = not on; return foo(20, 10, 0) end
foo1(); on = false
print(inp, out) -- expect: 20	10,0
debug.sethook()
print(debug.getinfo(1, "r").ftransfer, debug.getinfo(1, "r").ntransfer) -- expect: 0	0
