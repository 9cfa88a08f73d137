local function two() return 1, 2 end
print((two())) -- expect: 1
print(two(), "end") -- expect: 1	end
