-- debug.getinfo levels: 1 is the calling function, 2 its caller
local function f()
  local here = debug.getinfo(1, "l").currentline
  local caller = debug.getinfo(2, "l").currentline
  return here, caller
end
print(f()) -- expect: 3	7
print(debug.getinfo(1, "Sl").currentline) -- expect: 8
print(debug.getinfo(0, "S").what, debug.getinfo(0, "l").currentline) -- expect: C	-1
print(debug.getinfo(100), debug.getinfo(-1)) -- expect: nil	nil
