print(string.format("%q", "line1\nline2\ttab\r\0end"))
print(string.format("%q", 1/3), string.format("%q", 42), string.format("%q", math.mininteger))
print(string.format("%q", 1/0), string.format("%q", -1/0), string.format("%q", 0/0))

-- expect: "line1\
-- expect: line2\9tab\13\0end"
-- expect: 0x1.5555555555555p-2	42	0x8000000000000000
-- expect: 1e9999	-1e9999	(0/0)
