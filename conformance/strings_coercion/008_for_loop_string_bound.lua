print(pcall(function() for i = "1", 2 do end end)) -- expect: true
