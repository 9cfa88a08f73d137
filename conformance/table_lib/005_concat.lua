print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({1, 2, 3}, "-", 2), table.concat({1, 2, 3}, "-", 2, 1)) -- expect: 123	1, 2, 3	2-3	
print(table.concat({}), table.concat({1.5, "x", 2}, " ")) -- expect: 	1.5 x 2
