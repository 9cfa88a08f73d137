local function iter(limit, ctl)
  if ctl < limit then return ctl + 1, ctl * ctl end
end
for i, sq in iter, 4, 0 do print(i, sq) end

-- expect: 1	0
-- expect: 2	1
-- expect: 3	4
-- expect: 4	9
