local name = os.tmpname()
local f = assert(io.open(name, "w+"))
print(f:setvbuf("no"), f:setvbuf("full", 1024), f:setvbuf("line")) -- expect: true	true	true
print(f:write("0123456789"):seek()) -- expect: 10
print(f:seek("set", 2), f:read(3)) -- expect: 2	234
print(f:seek("cur"), f:seek("cur", -1), f:read(1)) -- expect: 5	4	4
print(f:seek("end"), f:seek("end", -4), f:read("a")) -- expect: 10	6	6789
print(pcall(function () return f:seek("bad") end)) -- expect: false	conformance/os_io/023_file_seek_setvbuf.lua:8: bad argument #1 to 'seek' (invalid option 'bad')
print(pcall(function () return f:setvbuf("bad") end)) -- expect: false	conformance/os_io/023_file_seek_setvbuf.lua:9: bad argument #1 to 'setvbuf' (invalid option 'bad')
f:close()
os.remove(name)
