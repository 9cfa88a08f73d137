print(("hello123"):match("[a-z]+"), ("x-y"):match("[%-]"), ("a]b"):match("[]]"), ("^x"):match("[%^x]+")) -- expect: hello	-	]	^x
print(("abc"):match("[^a]+"), ("A-Z"):match("[A%-Z]+")) -- expect: bc	A-Z
