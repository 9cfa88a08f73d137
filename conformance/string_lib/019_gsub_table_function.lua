local map = {a = "1", b = false}
print(("abc"):gsub("%a", map)) -- expect: 1bc	3
print(("abc"):gsub("%a", function(c) if c == "b" then return false end return c:upper() end)) -- expect: AbC	3
print(("abc"):gsub("%a", {a = 1.5})) -- expect: 1.5bc	3
