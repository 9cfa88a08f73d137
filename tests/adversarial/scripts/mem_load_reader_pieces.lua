-- expect: memory
-- limits: instructions=none
-- every piece is a fresh string the reader drops: load itself must account the buffer
return load(function() return string.rep(" ", 100000) end)
