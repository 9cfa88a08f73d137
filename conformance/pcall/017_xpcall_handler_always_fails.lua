-- a message handler that keeps failing ends in LUA_ERRERR; one that recovers is used
print(xpcall(error, function(m) error("again") end)) -- expect: false	error in error handling
local n = 0
print(xpcall(error, function(m) n = n + 1 if n < 5 then error("again" .. n, 0) end return "ok " .. tostring(m) end)) -- expect: false	ok again4
