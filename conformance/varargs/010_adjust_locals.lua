local function f(...)
  local a, b = ...
  return a, b
end
print(f(1)) -- expect: 1	nil
print(f(1, 2, 3)) -- expect: 1	2
