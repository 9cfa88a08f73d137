local ok, e = pcall(string.match, string.rep("a", 1000), string.rep("a?", 1000) .. string.rep("a", 1000))
print(ok, e) -- expect: false	pattern too complex
