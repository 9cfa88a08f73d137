local a = 0
local function l1()
  local function l2()
    local function l3() a = a + 1 end
    l3()
  end
  l2()
end
l1() l1()
print(a) -- expect: 2
