print(load("--[[ never closed"))
print(load("x = [==[ never closed ]=]"))

-- expect: nil	[string "--[[ never closed"]:1: unfinished long comment (starting at line 1) near <eof>
-- expect: nil	[string "x = [==[ never closed ]=]"]:1: unfinished long string (starting at line 1) near <eof>
