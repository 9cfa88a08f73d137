for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then break end
    print(i, j)
  end
end

-- expect: 1	1
-- expect: 2	1
-- expect: 3	1
