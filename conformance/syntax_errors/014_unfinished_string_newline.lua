print(load("x = 'abc\ndef'")) -- expect: nil	[string "x = 'abc..."]:1: unfinished string near ''abc'
