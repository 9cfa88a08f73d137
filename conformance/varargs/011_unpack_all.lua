local function f(...) return table.unpack({...}, 1, select("#", ...)) end
print(f(1, nil, 3, nil)) -- expect: 1	nil	3	nil
