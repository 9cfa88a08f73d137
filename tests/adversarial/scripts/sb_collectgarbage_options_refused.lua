-- expect: return
-- result: 0 number
local allowed = 0
for _, o in ipairs({"collect", "stop", "restart", "step", "isrunning", "incremental", "generational", "setpause", "setstepmul"}) do
  if pcall(collectgarbage, o) then allowed = allowed + 1 end
end
return allowed, type(collectgarbage("count"))
