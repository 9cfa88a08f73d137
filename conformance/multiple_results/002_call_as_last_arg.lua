local function mr() return 1, 2 end
print(mr(), mr()) -- expect: 1	1	2
print(mr(), nil) -- expect: 1	nil
