print(io.type(io.stdout), io.type(42), io.type({})) -- expect: file	nil	nil
