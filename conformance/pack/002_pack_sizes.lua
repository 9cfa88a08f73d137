print(string.packsize("i1i2i4i8"), string.packsize("!8i1i8"), string.packsize("b B h H l L j J")) -- expect: 15	16	38
print(string.packsize("d f n"), string.packsize("c10"), string.packsize("")) -- expect: 20	10	0
