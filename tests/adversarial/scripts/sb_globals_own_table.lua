-- expect: return
-- result: function nil
-- a script may rebind its own globals (they are per runtime), never the shared libraries
local rep = string.rep
_G.string = {rep = function() return "mine" end}
return type(rep), rawget(_G, "io")
