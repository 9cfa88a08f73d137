local ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("a got", e) end})
  local b <close> = setmetatable({}, {__close = function(_, e) error("b failed", 0) end})
end)
print(ok, err)

-- expect: a got	b failed
-- expect: false	b failed
