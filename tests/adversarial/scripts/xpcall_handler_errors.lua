-- expect: return
-- result: false
-- a handler that errors itself: PUC gives up with a status, never loops forever
local ok = xpcall(error, function(m) error(m) end, "x")
return ok
