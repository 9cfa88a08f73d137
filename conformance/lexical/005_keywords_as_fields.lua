local t = {["end"] = 1}
t["while"] = 2
print(t["end"], t["while"]) -- expect: 1	2
local s = "goto"
print(s) -- expect: goto
