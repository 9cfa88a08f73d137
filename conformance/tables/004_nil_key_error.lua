local t = {}
print(pcall(function() t[nil] = 1 end)) -- expect: false	conformance/tables/004_nil_key_error.lua:2: table index is nil
print(pcall(function() t[0/0] = 1 end)) -- expect: false	conformance/tables/004_nil_key_error.lua:3: table index is NaN
print(t[nil]) -- expect: nil
