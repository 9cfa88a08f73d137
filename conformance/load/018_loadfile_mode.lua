local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("return ...\n")
f:close()
print(loadfile(name, "b")) -- expect: nil	attempt to load a text chunk (mode is 'b')
print(loadfile(name, "t")(1, 2)) -- expect: 1	2
print(loadfile(name, "bt")(3)) -- expect: 3
print(pcall(loadfile, name, {})) -- expect: false	bad argument #2 to 'loadfile' (string expected, got table)
os.remove(name)
print(loadfile("/nonexistent/dir/file.lua")) -- expect: nil	cannot open /nonexistent/dir/file.lua: No such file or directory
print(loadfile("/tmp")) -- expect: nil	cannot read /tmp: Is a directory
