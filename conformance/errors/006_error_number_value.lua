local ok, err = pcall(function() error(42) end)
print(ok, err, math.type(err)) -- expect: false	42	integer
local ok2, err2 = pcall(function() error(1.5, 2) end)
print(err2) -- expect: 1.5
