print(io.read("l"), io.read("n"), io.read(0), io.read("a")) -- expect: nil	nil	nil	
