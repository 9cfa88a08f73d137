-- expect: return
-- limits: instructions=none memory=16MiB seconds=20
-- result: 0
-- every library function called with hostile arguments fails as a Lua error (never a host error)
local weird = {nil, true, -1, 0, 2^63, -2^63, 1e308, 0/0, math.huge, "", "%", string.rep("x", 64), {}, print, coroutine.create(print)}
local n = 0
local skip = {["coroutine.yield"] = true, ["coroutine.wrap"] = true, ["coroutine.create"] = true}
for _, libname in ipairs({"string", "table", "math", "utf8", "coroutine", "_G"}) do
  local lib = libname == "_G" and _G or _G[libname]
  local names = {}
  for k, v in pairs(lib) do if type(v) == "function" then names[#names + 1] = k end end
  table.sort(names)
  for _, name in ipairs(names) do
    local f = lib[name]
    if not skip[libname .. "." .. name] and name ~= "load" and name ~= "error" and name ~= "assert" and name ~= "pcall" and name ~= "xpcall" then
      for i = 1, #weird + 1 do
        for j = 1, #weird + 1, 3 do
          local ok, e = pcall(f, weird[i], weird[j], weird[j])
          if not ok and type(e) ~= "string" then n = n + 1 end
        end
      end
    end
  end
end
return n
