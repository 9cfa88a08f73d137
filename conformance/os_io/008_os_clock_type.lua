print(type(os.clock()), math.type(os.time())) -- expect: number	integer
