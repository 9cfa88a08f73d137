function gf(x) return x + 1 end
print(gf(1), type(_G.gf)) -- expect: 2	function
