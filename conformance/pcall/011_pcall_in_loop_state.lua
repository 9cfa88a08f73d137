local n = 0
for i = 1, 5 do
  local ok = pcall(function() if i % 2 == 0 then error("even") end n = n + 1 end)
end
print(n) -- expect: 3
