local f = coroutine.wrap(function() return 1 end)
print(f()) -- expect: 1
print(pcall(f)) -- expect: false	cannot resume dead coroutine
