-- expect: return
-- result: nil nil nil nil
return _ENV.io, _G.os, rawget(_G, "debug"), ("").dump
