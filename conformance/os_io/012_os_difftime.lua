print(os.difftime(10, 4), math.type(os.difftime(10, 4))) -- expect: 6.0	float
