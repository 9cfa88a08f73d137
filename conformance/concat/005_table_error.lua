print(pcall(function() return "x" .. {} end)) -- expect: false	conformance/concat/005_table_error.lua:1: attempt to concatenate a table value
print(pcall(function() return true .. "x" end)) -- expect: false	conformance/concat/005_table_error.lua:2: attempt to concatenate a boolean value
