warn("this is not shown")
print("ok") -- expect: ok
