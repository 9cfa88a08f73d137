print(load("x = 'abc")) -- expect: nil	[string "x = 'abc"]:1: unfinished string near <eof>
print(load("x = [[abc")) -- expect: nil	[string "x = [[abc"]:1: unfinished long string (starting at line 1) near <eof>
