print(load("return 1", "c", "b")) -- expect: nil	attempt to load a text chunk (mode is 'b')
