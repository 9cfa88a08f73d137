print(type(os.getenv("PATH")), os.getenv("LUAVM_SURELY_UNSET_VARIABLE")) -- expect: string	nil
print(pcall(os.getenv)) -- expect: false	bad argument #1 to 'os.getenv' (string expected, got no value)
local a, b = os.tmpname(), os.tmpname()
print(a ~= b, #a, (a:match("^/tmp/lua_"))) -- expect: true	15	/tmp/lua_
print(io.open(a) ~= nil) -- expect: true
os.remove(a) os.remove(b)
