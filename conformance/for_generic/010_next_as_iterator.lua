local t = {10}
for k, v in next, t do print(k, v) end -- expect: 1	10
