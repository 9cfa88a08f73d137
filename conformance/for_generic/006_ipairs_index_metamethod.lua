local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(proxy) do print(i, v) end

-- expect: 1	10
-- expect: 2	20
-- expect: 3	30
