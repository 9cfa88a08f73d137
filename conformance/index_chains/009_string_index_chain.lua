local mt = getmetatable("")
local old = mt.__index
mt.__index = function(s, k) if k == "shout" then return function(self) return self:upper() .. "!" end end return old[k] end
print(("hi"):shout(), ("hi"):len()) -- expect: HI!	2
mt.__index = old
