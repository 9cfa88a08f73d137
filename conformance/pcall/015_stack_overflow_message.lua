local function r() return 1 + r() end
local ok, e = pcall(r)
print(ok, (e:gsub("^.-:%d+: ", ""))) -- expect: false	stack overflow
