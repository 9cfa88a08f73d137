print(pcall(assert, false)) -- expect: false	assertion failed!
print(pcall(assert, nil, "custom message")) -- expect: false	custom message
print(pcall(assert, 1 == 1, "unused")) -- expect: true	true	unused
local e = {1}
print(select(2, pcall(assert, false, e)) == e) -- expect: true
