print(pcall(function() return 1 .. {} end)) -- expect: false	conformance/error_messages/022_concat_number_table.lua:1: attempt to concatenate a table value
