print(load("obj:method")) -- expect: nil	[string "obj:method"]:1: function arguments expected near <eof>
print(load("obj:method.x()")) -- expect: nil	[string "obj:method.x()"]:1: function arguments expected near '.'
