local s = ""
for i = 1, 100 do s = s .. "ab" end
print(#s, s:sub(1, 6)) -- expect: 200	ababab
