-- expect: error
-- message: hostile:7: stack overflow
-- limits: instructions=3000
-- a __call that is the table itself: PUC grows its stack until "stack overflow"; so do we, bounded
local t = {}
setmetatable(t, {__call = t})
return t()
