-- count hooks fire while code runs; gethook reports function, mask and count
local fired = 0
local function hook(event) if event == "count" then fired = fired + 1 end end
debug.sethook(hook, "", 100)
local s = 0
for i = 1, 10000 do s = s + i end
local f, mask, count = debug.gethook()
debug.sethook()
print(fired > 10, f == hook, mask, count) -- expect: true	true		100
debug.sethook(hook, "crl", 5)
print(select(2, debug.gethook()), select(3, debug.gethook())) -- expect: crl	5
debug.sethook()
print(debug.gethook()) -- expect: nil
debug.sethook(hook, "")
print(debug.gethook()) -- expect: nil
