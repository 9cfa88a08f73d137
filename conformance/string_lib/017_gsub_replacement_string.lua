print(("hello world"):gsub("(%w+)", "<%1>")) -- expect: <hello> <world>	2
print(("abc"):gsub("%w", "%0%0")) -- expect: aabbcc	3
print(("50%"):gsub("%%", "%%%%")) -- expect: 50%%	1
