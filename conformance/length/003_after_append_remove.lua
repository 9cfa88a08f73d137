local t = {}
for i = 1, 10 do t[#t + 1] = i end
print(#t) -- expect: 10
t[#t] = nil
print(#t) -- expect: 9
