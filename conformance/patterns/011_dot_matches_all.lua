print(("a\nb\0c"):match("a.b.c") ~= nil, #("\0\0"):match(".*")) -- expect: true	2
