local function three() return 1, 2, 3 end
local t = {three(), three()}
print(#t, t[1], t[2], t[4]) -- expect: 4	1	1	3
local u = {three(), (three())}
print(#u) -- expect: 2
