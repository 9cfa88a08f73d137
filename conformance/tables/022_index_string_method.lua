local s = "abc"
print(s:upper(), ("x"):rep(3), #s:sub(2)) -- expect: ABC	xxx	2
