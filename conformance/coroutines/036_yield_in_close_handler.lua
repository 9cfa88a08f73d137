-- a __close handler may yield when the block exits normally or by error inside a coroutine
local function closer(name)
  return setmetatable({}, {__close = function(_, err)
    local r = coroutine.yield("closing " .. name .. " " .. tostring(err))
    print("resumed in close", name, r)
  end})
end
local co = coroutine.wrap(function()
  do
    local x <close> = closer("x")
    local y <close> = closer("y")
  end
  local ok, e = pcall(function()
    local z <close> = closer("z")
    error("E", 0)
  end)
  return "end " .. tostring(ok) .. " " .. e
end)
print(co())
print(co(1))
print(co(2))
print(co(3))

-- expect: closing y nil
-- expect: resumed in close	y	1
-- expect: closing x nil
-- expect: resumed in close	x	2
-- expect: closing z E
-- expect: resumed in close	z	3
-- expect: end false E
