print(getmetatable("abc").__index == string) -- expect: true
