local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("10 20.5\nalpha\nbeta\n0x10\n")
f:close()
for a, b in io.lines(name, "n", "n") do print(a, b) break end
for l in io.lines(name, "L") do io.write("[", l, "]") end
print()
for a, b in io.lines(name, 2, "l") do print(a, b) end
local it = io.lines(name, "a")
print(#it(), it())
os.remove(name)

-- expect: 10	20.5
-- expect: [10 20.5
-- expect: ][alpha
-- expect: ][beta
-- expect: ][0x10
-- expect: ]
-- expect: 10	 20.5
-- expect: al	pha
-- expect: be	ta
-- expect: 0x	10
-- expect: 24	
