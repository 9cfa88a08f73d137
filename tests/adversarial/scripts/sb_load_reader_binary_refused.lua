-- expect: return
-- result: nil attempt to load a binary chunk (mode is 'bt')
local parts = {"\27", "Lua", "\84\0"}
local i = 0
return load(function() i = i + 1 return parts[i] end)
