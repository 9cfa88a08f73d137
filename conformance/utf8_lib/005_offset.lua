local s = "a\u{E9}b\u{20AC}"
print(utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 4), utf8.offset(s, 5), utf8.offset(s, 6)) -- expect: 1	2	4	5	8	nil
print(utf8.offset(s, -1), utf8.offset(s, -2), utf8.offset(s, 0, 3)) -- expect: 5	4	2
print(pcall(utf8.offset, s, 1, 3)) -- expect: false	initial position is a continuation byte
