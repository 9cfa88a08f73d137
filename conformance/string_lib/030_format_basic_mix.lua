print(string.format("%d items at %.2f each = %s", 3, 1.5, "4.50")) -- expect: 3 items at 1.50 each = 4.50
