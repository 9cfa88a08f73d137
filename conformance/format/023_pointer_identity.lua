-- %p: equal short strings share an address (interned), long strings and tables do not
local s1, s2 = string.rep("a", 10), string.rep("aa", 5)
print(string.format("%p", s1) == string.format("%p", s2)) -- expect: true
local l1, l2 = string.rep("a", 300), string.rep("a", 300)
print(string.format("%p", l1) ~= string.format("%p", l2), string.format("%p", l1) == string.format("%p", l1)) -- expect: true	true
print(string.format("%p", {}) ~= string.format("%p", {}), string.format("%p", print) == string.format("%p", print)) -- expect: true	true
local t = {}
print(string.format("%p", t) == tostring(t):match("0x%x+"), string.format("%p", 1), string.format("%p", nil)) -- expect: true	(null)	(null)
local sd = "0123456789" .. "0123456789012345678901234567890123456789"
local s <const> = "01234567890123456789012345678901234567890123456789"
print(sd == s, string.format("%p", sd) ~= string.format("%p", s)) -- expect: true	true
