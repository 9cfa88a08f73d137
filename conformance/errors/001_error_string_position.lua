local ok, err = pcall(function() error("msg") end)
print(ok, err) -- expect: false	conformance/errors/001_error_string_position.lua:1: msg
