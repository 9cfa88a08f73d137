do
  goto e
  local x = 1
  ::e::
end
print("ok") -- expect: ok
