print(xpcall(function() error("bad") end, function(m) return "handled: " .. m end)) -- expect: false	handled: conformance/pcall/005_xpcall_handler.lua:1: bad
print(xpcall(function() return "fine", 2 end, print)) -- expect: true	fine	2
