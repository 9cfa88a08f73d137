print(utf8.len("h\u{E9}llo"), utf8.len(""), utf8.len("abc", 2), utf8.len("abc", 4), utf8.len("\u{E9}", -2)) -- expect: 5	0	2	0	1
print(utf8.len("ab\xffcd"), utf8.len("\xe4", 1)) -- expect: nil	nil	1
