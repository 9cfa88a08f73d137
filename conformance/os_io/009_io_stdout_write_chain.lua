io.stdout:write("x"):write("y"):write("\n")

-- expect: xy
