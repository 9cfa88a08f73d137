-- loadfile and dofile read string.dump's binary chunks; mode "t" refuses them
local name = os.tmpname()
local f = io.open(name, "wb")
f:write(string.dump(function(a) return (a or 20) * 2 end)); f:close()
print(loadfile(name)(21))
print(loadfile(name, "t"))
print(dofile(name))
f = io.open(name, "wb"); f:write(string.dump(function() end):sub(1, 20)); f:close()
local fn, msg = loadfile(name)
print(fn, (msg:gsub("^.-: ", "")))
os.remove(name)
-- expect: 42
-- expect: nil	attempt to load a binary chunk (mode is 't')
-- expect: 40
-- expect: nil	bad binary format (truncated chunk)
