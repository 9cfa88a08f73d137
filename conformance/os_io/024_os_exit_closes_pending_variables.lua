local x <close> = setmetatable({}, {__close = function (self, err)
  print("closing x", err)
end})
do
  local y <close> = setmetatable({}, {__close = function () print("closing y") end})
  print("before exit")
  os.exit(true, true)
end
print("not reached")

-- expect: before exit
-- expect: closing y
-- expect: closing x	nil
