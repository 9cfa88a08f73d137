-- expect: error
-- message: hostile:3: malformed pattern (ends with '%')
return string.find("a", "a%")
