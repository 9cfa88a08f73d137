local function make(p)
  return function() p = p * 2 return p end
end
local f = make(3)
print(f(), f()) -- expect: 6	12
