print(("abc")[2], ("abc").len == string.len) -- expect: nil	true
