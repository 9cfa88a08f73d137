-- io.close on a closed file is io.close's error, with the caller's position
local f = io.tmpfile() f:close()
print(pcall(io.close, f)) -- expect: false	attempt to use a closed file
print(pcall(function() io.close(f) end)) -- expect: false	conformance/os_io/015_close_closed_file.lua:4: attempt to use a closed file
print(pcall(function() f:close() end)) -- expect: false	conformance/os_io/015_close_closed_file.lua:5: attempt to use a closed file
print(pcall(function() return f:read() end)) -- expect: false	conformance/os_io/015_close_closed_file.lua:6: attempt to use a closed file
print(tostring(f), io.type(f)) -- expect: file (closed)	closed file
print(pcall(load("getmetatable(io.stdin).__gc()"))) -- expect: false	[string "getmetatable(io.stdin).__gc()"]:1: bad argument #1 to '__gc' (FILE* expected, got no value)
