-- where PUC refuses to yield: callbacks called by builtins (a C-call boundary)
local function try(name, f)
  local co = coroutine.create(f)
  print(name, coroutine.resume(co))
end
try("gsub", function() return (string.gsub("ab", ".", function(c) coroutine.yield(c) end)) end)
try("sort", function() table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end) end)
try("tostring", function() return tostring(setmetatable({}, {__tostring = function() coroutine.yield() end})) end)
try("xpcall handler", function() return xpcall(error, function() coroutine.yield() end) end)
try("pcall yield", function() return pcall(coroutine.yield, "through pcall") end)
print(pcall(coroutine.yield, 1))
print(coroutine.isyieldable())

-- expect: gsub	false	attempt to yield across a C-call boundary
-- expect: sort	false	attempt to yield across a C-call boundary
-- expect: tostring	false	attempt to yield across a C-call boundary
-- expect: xpcall handler	true	false	error in error handling
-- expect: pcall yield	true	through pcall
-- expect: false	attempt to yield from outside a coroutine
-- expect: false
