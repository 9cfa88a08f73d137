print(string.format("%+05d|%-+5d|%.3d", 7, 7, 7)) -- expect: +0007|+7   |007
