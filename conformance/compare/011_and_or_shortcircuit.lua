local n = 0
local function inc() n = n + 1 return true end
local _ = false and inc()
_ = true or inc()
_ = nil or inc()
print(n) -- expect: 1
