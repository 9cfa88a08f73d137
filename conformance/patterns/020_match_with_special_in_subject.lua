print(("%d"):find("%%d"), ("(x)"):match("%((.)%)")) -- expect: 1	x
