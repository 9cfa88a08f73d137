print(table.concat({1, 2.0, -0.0, 1e100}, "|")) -- expect: 1|2.0|-0.0|1e+100
