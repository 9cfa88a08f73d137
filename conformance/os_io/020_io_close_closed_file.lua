local name = os.tmpname()
local f = assert(io.open(name, "w"))
print(io.type(f), f:close(), io.type(f)) -- expect: file	true	closed file
print(tostring(f)) -- expect: file (closed)
print(pcall(io.close, f)) -- expect: false	attempt to use a closed file
print(pcall(f.close, f)) -- expect: false	attempt to use a closed file
print(pcall(f.write, f, "x")) -- expect: false	attempt to use a closed file
print(io.type(42), io.type(io.stdout)) -- expect: nil	file
os.remove(name)
