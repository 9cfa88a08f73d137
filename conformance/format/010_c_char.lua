print(string.format("%c%c%c", 76, 117, 97)) -- expect: Lua
