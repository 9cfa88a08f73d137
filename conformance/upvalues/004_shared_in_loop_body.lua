local get, inc
for i = 1, 1 do
  local n = 0
  get = function() return n end
  inc = function() n = n + 1 end
end
inc() inc()
print(get()) -- expect: 2
