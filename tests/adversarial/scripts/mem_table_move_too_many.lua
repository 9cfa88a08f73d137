-- expect: error
-- message: hostile:3: bad argument #3 to 'move' (too many elements to move)
return table.move({}, -1, math.maxinteger, 1)
