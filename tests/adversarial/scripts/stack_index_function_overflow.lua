-- expect: return
-- limits: instructions=none memory=none seconds=10
-- result: false stack overflow
local t = setmetatable({}, {__index = function(self, k) return self[k] end})
local ok, e = pcall(function() return t.x end)
return ok, (string.match(e, "stack overflow"))
