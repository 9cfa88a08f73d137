local callable = setmetatable({}, {__call = function(self, s, c) c = c + 1 if c <= 2 then return c end end})
for i in callable, nil, 0 do print(i) end

-- expect: 1
-- expect: 2
