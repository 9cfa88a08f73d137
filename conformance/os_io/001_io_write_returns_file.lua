local f = io.write("a", 1, 2.5, "\n") -- expect: a12.5
print(f == io.stdout) -- expect: true
