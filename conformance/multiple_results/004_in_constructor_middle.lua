local function mr() return "a", "b" end
local t = {mr(), mr(), x = mr()}
print(#t, t.x) -- expect: 2	a
