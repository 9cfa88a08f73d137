-- Every debug function called with pairs of odd arguments: the outcomes, compared with lua5.4
-- by tests/vm/test_debuglib.py (results that hold identities or addresses are reduced to types).
local co = coroutine.create(function(a) local b = 2; coroutine.yield(a) end)
coroutine.resume(co, 1)
local dead = coroutine.create(function() end); coroutine.resume(dead)
local function lf(x, ...) local y = 1; return x end
local vals = {nil, 0, 1, 2, -1, 1.5, "x", "Sl", "flnSrtuL", {}, print, lf, co, dead, true, io.stdout, math.huge}
local nv = 17
local names = {"getinfo", "getlocal", "getupvalue", "upvalueid", "getuservalue", "setuservalue", "traceback", "setlocal", "setupvalue", "upvaluejoin", "getmetatable", "setcstacklimit"}
local function show(v)
  local t = type(v)
  if t == "string" then return (v:gsub("0x%x+", "ADDR"):gsub("\n.*", "")) end
  if t == "number" or t == "boolean" or t == "nil" then return tostring(v) end
  return t
end
for _, name in ipairs(names) do
  local f = debug[name]
  for i = 1, nv do
    for j = 1, nv do
      local r = table.pack(pcall(f, vals[i], vals[j], 5))
      local out = {}
      for n = 1, math.min(r.n, 3) do out[#out + 1] = show(r[n]) end
      print(name, i, j, table.concat(out, " "))
    end
  end
end
