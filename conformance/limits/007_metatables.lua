-- Pinned cost of metamethod dispatch (__index chains, __add, __eq, __tostring).
-- instructions: 7265
-- memory_peak: 143308
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, V) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
function V.new(x, y) return setmetatable({x = x, y = y}, V) end
function V:len2() return self.x * self.x + self.y * self.y end
local acc = V.new(0, 0)
for i = 1, 300 do acc = acc + V.new(i, -i) end
print(tostring(acc), acc:len2(), acc == V.new(45150, -45150))
-- expect: (45150,-45150)	4077045000	true
