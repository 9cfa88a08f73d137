local f = function() return type(f) end
print(f()) -- expect: nil
