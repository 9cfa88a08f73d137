print(string.format("%a %A", 1.0, 0.5)) -- expect: 0x1p+0 0X1P-1
