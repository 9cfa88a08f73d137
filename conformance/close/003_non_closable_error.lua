local ok, err = pcall(function()
  local x <close> = {}
end)
print(ok, err) -- expect: false	conformance/close/003_non_closable_error.lua:2: variable 'x' got a non-closable value
