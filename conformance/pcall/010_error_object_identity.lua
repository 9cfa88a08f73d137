local obj = {}
local ok, got = pcall(function() error(obj) end)
print(got == obj) -- expect: true
