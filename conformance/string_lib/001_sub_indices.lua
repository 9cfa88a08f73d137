local s = "hello"
print(s:sub(2, 4), s:sub(-3), s:sub(-3, -2), s:sub(0), s:sub(10), s:sub(3, 2), s:sub(-100, 2)) -- expect: ell	llo	ll	hello			he
print(s:sub(math.mininteger, math.maxinteger), s:sub(2.0, 3)) -- expect: hello	el
