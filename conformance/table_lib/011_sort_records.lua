local people = {{n = "c", a = 3}, {n = "a", a = 1}, {n = "b", a = 2}}
table.sort(people, function(x, y) return x.a < y.a end)
print(people[1].n, people[2].n, people[3].n) -- expect: a	b	c
