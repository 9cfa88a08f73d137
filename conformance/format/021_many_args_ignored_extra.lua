print(string.format("%s", "a", "b", "c")) -- expect: a
