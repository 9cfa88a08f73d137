print(load("return 1 print(2)")) -- expect: nil	[string "return 1 print(2)"]:1: <eof> expected near 'print'
local f = load("do return end print(2)")
print(type(f), f()) -- expect: function
