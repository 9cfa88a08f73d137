print(("abcabc"):find("b", -2), ("abcabc"):find("b", -100)) -- expect: 5	2	2
