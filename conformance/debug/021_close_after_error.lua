-- a __close run by an error sees the pcall as its caller (the erroring function is gone)
local function foo()
  local x <close> = setmetatable({}, {__close = function(_, e)
    print(debug.getinfo(2, "n").name, e)
  end})
  local y <close> = setmetatable({}, {__close = function()
    print(debug.getinfo(2, "n").name)
  end})
  error("oops", 0)
end
print(pcall(foo))
local function bar()
  local z <close> = setmetatable({}, {__close = function()
    print(debug.getinfo(2, "n").name)
  end})
  return 1
end
print(bar())

-- expect: pcall
-- expect: pcall	oops
-- expect: false	oops
-- expect: bar
-- expect: 1
