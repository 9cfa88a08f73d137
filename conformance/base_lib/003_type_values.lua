print(type(nil), type(true), type(1), type("x"), type({}), type(print), type(coroutine.create(print))) -- expect: nil	boolean	number	string	table	function	thread
print(pcall(type)) -- expect: false	bad argument #1 to 'type' (value expected)
