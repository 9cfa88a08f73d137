local s = "a\
b"
print(s)
print(#s)

-- expect: a
-- expect: b
-- expect: 3
