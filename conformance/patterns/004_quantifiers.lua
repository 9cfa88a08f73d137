print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-b"), ("b"):match("a?b")) -- expect: aaa	aaa	aaab	b
print(("<a><b>"):match("<(.-)>"), ("<a><b>"):match("<(.*)>")) -- expect: a	a><b
