print(load("::a:: ::a::")) -- expect: nil	[string "::a:: ::a::"]:1: label 'a' already defined on line 1
