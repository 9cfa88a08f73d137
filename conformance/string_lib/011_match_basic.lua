print(("hello world"):match("%a+"), ("x=10"):match("(%a)=(%d+)"), ("abc"):match("()b()")) -- expect: hello	x	2	3
print(("abc"):match("z"), ("  trim  "):match("^%s*(.-)%s*$")) -- expect: nil	trim
