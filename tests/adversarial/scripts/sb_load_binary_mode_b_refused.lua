-- expect: return
-- result: nil attempt to load a binary chunk (mode is 'b')
return load("\27Lua\84\0", "x", "b")
