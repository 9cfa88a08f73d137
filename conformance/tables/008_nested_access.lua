local t = {a = {b = {c = "deep"}}}
print(t.a.b.c, t["a"]["b"]["c"]) -- expect: deep	deep
