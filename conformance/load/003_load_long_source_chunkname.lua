print(load("x = = 1 -- this is a long line of source code that goes on and on and on"))
print(load("local x = 1\nx = = 2"))

-- expect: nil	[string "x = = 1 -- this is a long line of source code..."]:1: unexpected symbol near '='
-- expect: nil	[string "local x = 1..."]:2: unexpected symbol near '='
