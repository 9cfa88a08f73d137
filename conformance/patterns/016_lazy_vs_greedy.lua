print(("a,b,c"):match("(.-),"), ("a,b,c"):match("(.*),")) -- expect: a	a,b
