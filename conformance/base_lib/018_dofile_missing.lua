print(pcall(dofile, "conformance/does_not_exist.lua")) -- expect: false	cannot open conformance/does_not_exist.lua: No such file or directory
