local t = setmetatable({}, {__call = function(_, x) error("boom " .. x) end})
print(pcall(t, "arg")) -- expect: false	conformance/metamethods/027_call_metamethod_in_pcall.lua:1: boom arg
