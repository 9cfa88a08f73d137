print(("abc"):gsub("x*", "-")) -- expect: -a-b-c-	4
