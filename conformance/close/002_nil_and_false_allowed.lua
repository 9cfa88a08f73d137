do
  local a <close> = nil
  local b <close> = false
  print("ok") -- expect: ok
end
print("after") -- expect: after
