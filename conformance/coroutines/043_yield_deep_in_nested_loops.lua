-- a yield 24 loops deep: the twin of an outlined region is a generator too
local co = coroutine.wrap(function(a)
  local total = 0
  for i0 = 1, 1 do
    for i1 = 1, 1 do
      for i2 = 1, 1 do
        for i3 = 1, 1 do
          for i4 = 1, 1 do
            for i5 = 1, 1 do
              for i6 = 1, 1 do
                for i7 = 1, 1 do
                  for i8 = 1, 1 do
                    for i9 = 1, 1 do
                      for i10 = 1, 1 do
                        for i11 = 1, 1 do
                          for i12 = 1, 1 do
                            for i13 = 1, 1 do
                              for i14 = 1, 1 do
                                for i15 = 1, 1 do
                                  for i16 = 1, 1 do
                                    for i17 = 1, 1 do
                                      for i18 = 1, 1 do
                                        for i19 = 1, 1 do
                                          for i20 = 1, 1 do
                                            for i21 = 1, 1 do
                                              for i22 = 1, 1 do
                                                for i23 = 1, 1 do
                                                  total = total + coroutine.yield(a)
                                                  if total > 5 then return total end
                                                end
                                              end
                                            end
                                          end
                                        end
                                      end
                                    end
                                  end
                                end
                              end
                            end
                          end
                        end
                      end
                    end
                  end
                end
              end
            end
          end
        end
      end
    end
  end
  return total + 100
end)
print(co(7))
print(co(3))
local function f() while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do while true do return coroutine.yield('deep') end end end end end end end end end end end end end end end end end end end end end end end
local c2 = coroutine.wrap(f)
print(c2())
print(c2('back'))
-- expect: 7
-- expect: 103
-- expect: deep
-- expect: back
