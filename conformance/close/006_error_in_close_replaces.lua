local ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) error("from close a", 0) end})
  local b <close> = setmetatable({}, {__close = function(_, e) print("b sees", e) error("from close b", 0) end})
  error("original", 0)
end)
print(ok, err)

-- expect: b sees	original
-- expect: false	from close a
