package.path = "./no_dir_here/?.lua;./no_dir_here/?/init.lua"
package.cpath = "./no_dir_here/?.so"
print(pcall(require, "no.such.mod"))
print(package.searchpath("a.b", "x/?.lua;y/?.lua"))
print(package.searchpath("a.b", "x/?.lua", "", ""))
print(package.searchpath("conformance/load/001_load_string_chunkname", "./?.lua", "", ""))
package.preload.m = function (...) print("loading", ...) return "M" end
print(require("m"))
print(require("m"), package.loaded.m)
print(pcall(require))

-- expect: false	module 'no.such.mod' not found:
-- expect: 	no field package.preload['no.such.mod']
-- expect: 	no file './no_dir_here/no/such/mod.lua'
-- expect: 	no file './no_dir_here/no/such/mod/init.lua'
-- expect: 	no file './no_dir_here/no/such/mod.so'
-- expect: 	no file './no_dir_here/no.so'
-- expect: nil	no file 'x/a/b.lua'
-- expect: 	no file 'y/a/b.lua'
-- expect: nil	no file 'x/a.b.lua'
-- expect: ./conformance/load/001_load_string_chunkname.lua
-- expect: loading	m	:preload:
-- expect: M	:preload:
-- expect: M	M
-- expect: false	bad argument #1 to 'require' (string expected, got no value)
