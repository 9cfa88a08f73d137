local function inf(n) return 1 + inf(n + 1) end
local ok, msg = pcall(inf, 1)
print(ok, (string.find(msg, "stack overflow", 1, true) ~= nil)) -- expect: false	true
