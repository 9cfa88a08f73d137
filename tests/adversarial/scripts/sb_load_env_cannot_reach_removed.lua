-- expect: return
-- result: nil nil
local f = load("return io, require", "x", "t", {})
local g = load("return os, dofile")
local a = f()
return a, (g())
