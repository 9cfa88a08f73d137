local t = setmetatable({}, {__pairs = function(self)
  return function(_, k) if not k then return 1, "one" elseif k < 3 then return k + 1, "more" end end, self, nil
end})
for k, v in pairs(t) do print(k, v) end

-- expect: 1	one
-- expect: 2	more
-- expect: 3	more
