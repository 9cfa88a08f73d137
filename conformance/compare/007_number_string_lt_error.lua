print(pcall(function() return 1 < "2" end)) -- expect: false	conformance/compare/007_number_string_lt_error.lua:1: attempt to compare number with string
print(pcall(function() return {} < {} end)) -- expect: false	conformance/compare/007_number_string_lt_error.lua:2: attempt to compare two table values
print(pcall(function() return nil <= 1 end)) -- expect: false	conformance/compare/007_number_string_lt_error.lua:3: attempt to compare nil with number
