;;; local a = 1; ; print(a); -- expect: 1
