local old = tostring
tostring = function() return "ignored" end
print(1, "x")
tostring = old

-- expect: 1	x
