print(1 + 2 * 3 - 4 / 2) -- expect: 5.0
print(2 ^ 3 ^ 2, -2 ^ -2) -- expect: 512.0	-0.25
print(1 .. 2 == "12", "a" .. "b" .. "c" == "abc") -- expect: true	true
print(not 1 == 2, not (1 == 2)) -- expect: false	true
print(1 < 2 == true, 5 - 3 - 1, 2 * 3 % 4) -- expect: true	1	2
