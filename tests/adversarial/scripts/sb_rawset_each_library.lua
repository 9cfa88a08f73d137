-- expect: return
-- result: 0
local fails = 0
for _, lib in ipairs({string, table, math, utf8, coroutine}) do
  if pcall(rawset, lib, "x", 1) then fails = fails + 1 end
  local k = next(lib)
  if pcall(rawset, lib, k, nil) then fails = fails + 1 end
end
return fails
