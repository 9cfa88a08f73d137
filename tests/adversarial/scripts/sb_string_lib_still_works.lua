-- expect: return
-- result: xxx 3 nil
pcall(function() string.rep = nil end)
pcall(rawset, string, "len", nil)
return string.rep("x", 3), ("abc"):len(), rawget(string, "evil")
