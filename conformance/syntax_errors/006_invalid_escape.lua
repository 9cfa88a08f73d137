print(load([[x = "\q"]])) -- expect: nil	[string "x = "\q""]:1: invalid escape sequence near '"\q'
print(load([[x = "\x1"]])) -- expect: nil	[string "x = "\x1""]:1: hexadecimal digit expected near '"\x1"'
print(load([[x = "\u{110000000}"]])) -- expect: nil	[string "x = "\u{110000000}""]:1: UTF-8 value too large near '"\u{110000000'
