local ok, err = pcall(function() return nil + 1 end)
print(type(err), err) -- expect: string	conformance/errors/021_runtime_error_message_is_string.lua:1: attempt to perform arithmetic on a nil value
