-- A small tour of luavm: closures, tables, metatables, string handling on raw bytes.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter()
c(); c()
print("counter:", c())

local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point.__add(a, b) return Point.new(a.x + b.x, a.y + b.y) end
function Point:__tostring() return "(" .. self.x .. ", " .. self.y .. ")" end
print("point:", tostring(Point.new(1, 2) + Point.new(3, 4.5)))

local banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
print("product:", banner:match("SSH%-[%d.]+%-(%w+)_([%w.]+)"))
print("integers wrap:", math.maxinteger + 1 == math.mininteger, 7 // 2, 7 / 2, 2^10)
