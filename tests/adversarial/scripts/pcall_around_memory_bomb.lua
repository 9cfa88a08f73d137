-- expect: memory
-- limits: instructions=none
-- then: return tostring(escaped)
-- then-result: nil
local ok = pcall(string.rep, "x", 2^30)
escaped = true
