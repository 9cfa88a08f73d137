local t = setmetatable({}, {__index = function(_, k) return coroutine.yield(k) end})
local co = coroutine.wrap(function() return "result: " .. t.key end)
print(co()) -- expect: key
print(co("value")) -- expect: result: value
