print(os.remove("no_such_file_here")) -- expect: nil	no_such_file_here: No such file or directory	2
print(os.rename("no_such_file_here", "other_name")) -- expect: nil	No such file or directory	2
local name = os.tmpname()
print(string.find(name, "^/tmp/lua_")) -- expect: 1	9
print(os.rename(name, name .. ".x")) -- expect: true
print(os.remove(name .. ".x")) -- expect: true
print(os.remove(name .. ".x") == nil) -- expect: true
