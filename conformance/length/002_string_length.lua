print(#"", #"abc", #"\0\0", #"héllo") -- expect: 0	3	2	6
