print(("abc"):reverse(), (""):reverse()) -- expect: cba	
