local t = setmetatable({}, {__index = function(self, k) return k .. "!" end})
print(t.foo, t[1], rawget(t, "foo")) -- expect: foo!	1!	nil
