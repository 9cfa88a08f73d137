local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("#!/usr/bin/env lua\nx = 1\nreturn x, y, error('at line 3')")
f:close()
local env = {y = 2, error = error}
local g = loadfile(name, "t", env)
local ok, msg = pcall(g)
print(ok, (string.gsub(msg, "^.-:", "chunk:")), env.x, x) -- expect: false	chunk:3: at line 3	1	nil
f = assert(io.open(name, "w"))
f:write("\xEF\xBB\xBFreturn 239")
f:close()
print(loadfile(name)()) -- expect: 239
f = assert(io.open(name, "w"))
f:write("# only a comment")
f:close()
print(loadfile(name)()) -- expect: 
print(select("#", loadfile(name, nil, nil)())) -- expect: 0
os.remove(name)
