local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("  -12.5e1 0x1p4 nan\nline two\nrest\n")
f:close()
f = assert(io.open(name))
print(f:read("n", "n"))
print(f:read("n"))
print(f:read(3), f:read(0))
print(f:read("L"))
print(f:read("l", "a"))
print(f:read("a"), f:read("l"), f:read(0), f:read("n"))
print(pcall(function () return f:read("x") end))
f:close()
os.remove(name)

-- expect: -125.0	16.0
-- expect: nil
-- expect: nan	
-- expect: 
-- expect: 
-- expect: line two	rest
-- expect: 
-- expect: 	nil	nil	nil
-- expect: false	conformance/os_io/022_io_read_formats.lua:12: bad argument #1 to 'read' (invalid format)
