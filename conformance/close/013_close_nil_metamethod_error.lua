local mt = {__close = function() end}
local ok, err = pcall(function()
  local a <close> = setmetatable({}, mt)
  mt.__close = nil
end)
print(ok, err) -- expect: false	conformance/close/013_close_nil_metamethod_error.lua:5: attempt to call a nil value (metamethod 'close')
