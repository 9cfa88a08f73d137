print(load("if x then\n  y = 1\n\n")) -- expect: nil	[string "if x then..."]:4: 'end' expected (to close 'if' at line 1) near <eof>
print(load("function f()\n  return 1\n\nlocal x = 1")) -- expect: nil	[string "function f()..."]:4: 'end' expected (to close 'function' at line 1) near 'local'
