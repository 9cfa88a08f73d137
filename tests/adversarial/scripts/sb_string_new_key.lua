-- expect: error
-- message: match:attempt to modify a read-only table
string.evil = print
