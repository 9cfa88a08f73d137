print(load("x = ")) -- expect: nil	[string "x = "]:1: unexpected symbol near <eof>
print(load("local t = {1, 2")) -- expect: nil	[string "local t = {1, 2"]:1: '}' expected near <eof>
print(load("while true do")) -- expect: nil	[string "while true do"]:1: 'end' expected near <eof>
