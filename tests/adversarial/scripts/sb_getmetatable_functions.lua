-- expect: return
-- result: nil nil nil nil
return getmetatable(print), getmetatable(function() end), getmetatable(coroutine.create(print)), getmetatable(1)
