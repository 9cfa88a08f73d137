-- expect: instructions
local function it(_, c) return c + 1 end
for i in it, nil, 0 do end
