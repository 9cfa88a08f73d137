print(7 // 0.5, 1 // -math.huge, -1 // math.huge) -- expect: 14.0	-0.0	-0.0
