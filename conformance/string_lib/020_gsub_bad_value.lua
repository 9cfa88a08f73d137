print(pcall(string.gsub, "abc", "a", function() return {} end)) -- expect: false	invalid replacement value (a table)
