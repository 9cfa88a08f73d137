print(pcall(pcall, error, "inner")) -- expect: true	false	inner
print(pcall(function() return pcall(error, "deep") end)) -- expect: true	false	deep
