local function f()
  for i = 1, 10 do
    if i == 3 then return i end
  end
  return "none"
end
print(f()) -- expect: 3
