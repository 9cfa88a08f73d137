local mt = {__band = function(a, b) return "band called" end}
local t = setmetatable({}, mt)
print(1.5 & t) -- expect: band called
print(pcall(function() return 1.5 & 2 end)) -- expect: false	conformance/metamethods/003_bitwise_mm_on_float.lua:4: number has no integer representation
