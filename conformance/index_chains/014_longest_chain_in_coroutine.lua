-- inside a coroutine (generator twins, genops.gidx) the chain's bound is the same
local function chain(n)
  local t = {x = "found"}
  for _ = 1, n do t = setmetatable({}, {__index = t}) end
  return t
end
local co = coroutine.wrap(function()
  print(chain(2000).x) -- expect: found
  print(pcall(function() return chain(2001).x end)) -- expect: false	conformance/index_chains/014_longest_chain_in_coroutine.lua:9: '__index' chain too long; possible loop
end)
co()
