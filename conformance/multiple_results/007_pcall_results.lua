print(pcall(function() return 1, 2, 3 end)) -- expect: true	1	2	3
print(select("#", pcall(function() end))) -- expect: 1
