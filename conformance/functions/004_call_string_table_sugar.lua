local function id(x) return x end
print(id"lit", type(id{1}), id[[long]]) -- expect: lit	table	long
