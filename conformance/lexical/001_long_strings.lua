local s = [[
first line skipped newline]]
print(s)
print([==[a]]b]=]c]==])
print(#[[

x]])

-- expect: first line skipped newline
-- expect: a]]b]=]c
-- expect: 2
