print(("0xFFz"):match("0x(%x+)")) -- expect: FF
