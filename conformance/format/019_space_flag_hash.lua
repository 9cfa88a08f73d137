print(string.format("% d|% d|%#x|%#o", 5, -5, 255, 8)) -- expect:  5|-5|0xff|010
