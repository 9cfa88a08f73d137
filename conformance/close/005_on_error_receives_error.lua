local ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("closing with", e) end})
  error("boom", 0)
end)
print(ok, err)

-- expect: closing with	boom
-- expect: false	boom
