local src = "return " .. string.rep("(", 300) .. "1" .. string.rep(")", 300)
local f, err = load(src)
print(f, (err:match("^[^\n]*"))) -- expect: nil	C stack overflow
