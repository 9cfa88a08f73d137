local ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("close failed", 0) end})
  return "value"
end)
print(ok, err) -- expect: false	close failed
