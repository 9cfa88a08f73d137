local ok, e = pcall(function() return tostring(setmetatable({}, {__tostring = function() error("ts fail") end})) end)
print(ok, e) -- expect: false	conformance/pcall/016_error_in_tostring_during_error.lua:1: ts fail
