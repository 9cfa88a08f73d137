print(0x1p-1074, 0x1p1023 * 2) -- expect: 4.9406564584125e-324	inf
