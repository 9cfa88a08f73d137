print(load("x = = 1", "@" .. string.rep("d/", 40) .. "file.lua")) -- expect: nil	...d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/file.lua:1: unexpected symbol near '='
print(pcall(load("error('e')", "@" .. string.rep("d/", 40) .. "file.lua"))) -- expect: false	...d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/file.lua:1: e
print(pcall(load("error('e')", "=" .. string.rep("n", 80)))) -- expect: false	nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn:1: e
