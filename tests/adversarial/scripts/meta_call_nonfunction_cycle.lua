-- expect: instructions
-- limits: instructions=3000
-- xfail: each __call hop re-copies the growing argument list (O(n) time and memory per 1 instruction, no memory charge): 3000 instructions use ~150 MB under a 1 MiB limit
local t = {}
setmetatable(t, {__call = t})
return t()
