local e = {code = 42}
local ok, err = pcall(error, e)
print(ok, err == e, err.code) -- expect: false	true	42
