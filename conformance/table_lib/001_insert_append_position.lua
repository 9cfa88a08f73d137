local t = {1, 2, 3}
table.insert(t, 4)
table.insert(t, 1, 0)
table.insert(t, 3, "mid")
print(table.concat(t, ",")) -- expect: 0,1,mid,2,3,4
