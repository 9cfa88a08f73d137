print(load("x = 1 2")) -- expect: nil	[string "x = 1 2"]:1: unexpected symbol near '2'
print(load("x = 'str' 'str2'")) -- expect: nil	[string "x = 'str' 'str2'"]:1: unexpected symbol near ''str2''
print(load("return return")) -- expect: nil	[string "return return"]:1: unexpected symbol near 'return'
print(load("x = #")) -- expect: nil	[string "x = #"]:1: unexpected symbol near <eof>
