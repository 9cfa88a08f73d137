local name = os.tmpname()
local p = io.popen("cat > " .. name, "w")
print(p:write("line 1\n", 2, "\n") == p)
print(p:close())
local f = io.open(name)
print(f:read("a"))
f:close()
os.remove(name)

-- expect: true
-- expect: true	exit	0
-- expect: line 1
-- expect: 2
-- expect: 
