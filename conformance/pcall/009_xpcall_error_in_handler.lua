local ok, err = xpcall(function() error("first") end, function(m) error("handler failed") end)
print(ok, type(err)) -- expect: false	string
