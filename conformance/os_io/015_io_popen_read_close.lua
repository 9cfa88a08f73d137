local f = io.popen("echo hello; echo world; exit 3")
print(io.type(f))
print(f:read("l"), f:read("L"))
print(f:read("a"))
print(f:close())
print(io.type(f))
local g = assert(io.popen("true", "r"))
print(g:read("a"), g:close())

-- expect: file
-- expect: hello	world
-- expect: 
-- expect: 
-- expect: nil	exit	3
-- expect: closed file
-- expect: 	true	exit	0
