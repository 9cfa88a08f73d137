-- expect: error
-- message: hostile:3: invalid conversion specification: '%1000d'
return string.format("%1000d", 1)
