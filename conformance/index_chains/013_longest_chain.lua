-- PUC looks in up to MAXTAGLOOP (2000) __index tables past the indexed one, no more
local function chain(n)
  local t = {x = "found"}
  for _ = 1, n do t = setmetatable({}, {__index = t}) end
  return t
end
print(chain(1999).x) -- expect: found
print(chain(2000).x) -- expect: found
print(pcall(function() return chain(2001).x end)) -- expect: false	conformance/index_chains/013_longest_chain.lua:9: '__index' chain too long; possible loop
