local a = {b = {}}
function a.b.c(x) return x * 2 end
function a.b:d(x) return self == a.b, x end
print(a.b.c(4), a.b:d(1)) -- expect: 8	true	1
