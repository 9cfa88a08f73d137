-- A collection clears entries of weak tables that nothing else reaches (keys of a weak-key
-- table keep their values only while they live: ephemerons). Strings are never collected.
local t = setmetatable({}, {__mode = "v"})
local k = setmetatable({}, {__mode = "k"})
local keep = {}
local function fill()
  t[1] = {} t[2] = "s" t[3] = keep
  k[{}] = 1 k[keep] = {} k["str"] = {}
  local e = {} k[e] = {e}
end
fill()
collectgarbage()
print(t[1], t[2], t[3] == keep)  -- expect: nil	s	true
local n = 0
for _ in pairs(k) do n = n + 1 end
print(n, k[keep] ~= nil, k.str ~= nil)  -- expect: 2	true	true
