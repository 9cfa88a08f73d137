-- expect: error
-- message: match:attempt to modify a read-only table
string.rep = function() return "pwned" end
