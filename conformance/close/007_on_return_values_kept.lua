local function f()
  local c <close> = setmetatable({}, {__close = function() print("closing") end})
  return "r1", "r2"
end
print(f())

-- expect: closing
-- expect: r1	r2
