-- getregistry, getmetatable/setmetatable on any type, user values, bad options
print(type(debug.getregistry()), debug.getregistry() == debug.getregistry()) -- expect: table	true
local mt = {__index = function(n, k) return k .. "!" end}
debug.setmetatable(10, mt)
local five = 5
print(five.hello, debug.getmetatable(1) == mt) -- expect: hello!	true
debug.setmetatable(10, nil)
print(debug.getmetatable(1)) -- expect: nil
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t), type(debug.getmetatable(t))) -- expect: locked	table
print(debug.getuservalue(1), debug.getuservalue(io.stdout)) -- expect: nil	nil
print(pcall(debug.setuservalue, {}, 1)) -- expect: false	bad argument #1 to 'debug.setuservalue' (userdata expected, got table)
print(pcall(debug.getinfo, 1, "X")) -- expect: false	bad argument #2 to 'debug.getinfo' (invalid option)
print(pcall(debug.getinfo, 1, ">")) -- expect: false	bad argument #2 to 'debug.getinfo' (invalid option '>')
print(pcall(debug.getinfo, "x")) -- expect: false	bad argument #1 to 'debug.getinfo' (number expected, got string)
print(pcall(debug.sethook, print)) -- expect: false	bad argument #2 to 'debug.sethook' (string expected, got no value)
