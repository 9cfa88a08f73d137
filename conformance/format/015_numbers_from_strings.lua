print(string.format("%d %.1f %x", "10", "2.25", "0x10")) -- expect: 10 2.2 10
