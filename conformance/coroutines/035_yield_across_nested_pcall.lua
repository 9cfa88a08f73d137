-- yields cross pcall and xpcall, nested, and errors after the resume still get caught
local co = coroutine.create(function(a)
  local ok, v = pcall(function()
    local ok2, w = xpcall(function()
      local x = coroutine.yield("inner " .. a)
      error("boom " .. x, 0)
    end, function(m) return "handled: " .. m end)
    return coroutine.yield(tostring(ok2) .. " " .. w)
  end)
  return ok, v
end)
print(coroutine.resume(co, 1)) -- expect: true	inner 1
print(coroutine.resume(co, 2)) -- expect: true	false handled: boom 2
print(coroutine.resume(co, 3)) -- expect: true	true	3
print(coroutine.status(co)) -- expect: dead
