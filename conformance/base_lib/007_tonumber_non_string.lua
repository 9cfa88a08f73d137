print(tonumber(5), tonumber(5.5), tonumber({}), tonumber(true)) -- expect: 5	5.5	nil	nil
