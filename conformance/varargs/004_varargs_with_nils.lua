local function f(...) return select("#", ...), ... end
print(f(nil, nil)) -- expect: 2	nil	nil
print(f()) -- expect: 0
