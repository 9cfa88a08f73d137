print(("key=value"):find("(%w+)=(%w+)")) -- expect: 1	9	key	value
print(("abc"):find("(b)()")) -- expect: 2	2	b	3
