print(pcall(dofile, "/nonexistent/file.lua")) -- expect: false	cannot open /nonexistent/file.lua: No such file or directory
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("return 1, 2, ...")
f:close()
print(dofile(name)) -- expect: 1	2
f = assert(io.open(name, "w"))
f:write("x = = 1")
f:close()
local ok, msg = pcall(dofile, name)
print(ok, (string.gsub(msg, "^.-:", "chunk:"))) -- expect: false	chunk:1: unexpected symbol near '='
os.remove(name)
