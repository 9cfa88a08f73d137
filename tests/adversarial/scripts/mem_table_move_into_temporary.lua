-- expect: memory
-- limits: instructions=none
-- xfail: values held only on the Python evaluation stack (temporaries) are invisible to the collector, so their memory is given back while still live
local src = setmetatable({}, {__index = function() return 1 end})
return table.move(src, 1, 1e8, 1, {})
