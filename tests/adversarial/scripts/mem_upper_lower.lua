-- expect: memory
-- limits: instructions=none
-- xfail: values held only on the Python evaluation stack (temporaries) are invisible to the collector, so their memory is given back while still live
local s = string.rep("a", 300000)
local t = {s:upper(), s:lower(), s:reverse()}
