local mt = {__index = {kind = "shared"}}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a.kind, b.kind, getmetatable(a) == getmetatable(b)) -- expect: shared	shared	true
