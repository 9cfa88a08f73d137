print(pcall(error, "plain", 0)) -- expect: false	plain
print(select(2, pcall(function() error("no pos", 0) end))) -- expect: no pos
