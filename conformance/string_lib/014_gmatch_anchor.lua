local out = {}
for w in ("aaa"):gmatch("^a") do out[#out + 1] = w end
print(#out) -- expect: 0
