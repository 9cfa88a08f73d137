local f = load("local t = nil\nreturn t.x", "=(mychunk)")
print(pcall(f)) -- expect: false	(mychunk):2: attempt to index a nil value (local 't')
