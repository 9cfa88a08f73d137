print(load("f(1, 2")) -- expect: nil	[string "f(1, 2"]:1: ')' expected near <eof>
print(load("if x then")) -- expect: nil	[string "if x then"]:1: 'end' expected near <eof>
print(load("for i = 1 do end")) -- expect: nil	[string "for i = 1 do end"]:1: ',' expected near 'do'
print(load("function f( end")) -- expect: nil	[string "function f( end"]:1: <name> or '...' expected near 'end'
