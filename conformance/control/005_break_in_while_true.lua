local n = 0
while true do
  n = n + 1
  if n > 4 then break end
end
print(n) -- expect: 5
