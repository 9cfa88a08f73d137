local ok, err = pcall(function() local x = nil; return x() end)
print(ok, err) -- expect: false	conformance/pcall/002_catches_runtime_error.lua:1: attempt to call a nil value (local 'x')
