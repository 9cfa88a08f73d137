print(math.type(collectgarbage("count"))) -- expect: float
print(collectgarbage("incremental"), collectgarbage("generational"), collectgarbage("generational")) -- expect: generational	incremental	generational
print(collectgarbage("incremental", 100, 200, 10), collectgarbage("setpause")) -- expect: generational	100
print(collectgarbage("setpause", 150), collectgarbage("setpause", 1100), collectgarbage("setpause")) -- expect: 0	148	76
print(collectgarbage("setstepmul", 300), collectgarbage("setstepmul")) -- expect: 200	300
print(collectgarbage("stop"), collectgarbage("isrunning")) -- expect: 0	false
print(collectgarbage("restart"), collectgarbage("isrunning")) -- expect: 0	true
print(collectgarbage(), collectgarbage("collect"), collectgarbage("step", 100)) -- expect: 0	0	true
print(pcall(collectgarbage, "bogus")) -- expect: false	bad argument #1 to 'collectgarbage' (invalid option 'bogus')
print(pcall(collectgarbage, "step", "x")) -- expect: false	bad argument #2 to 'collectgarbage' (number expected, got string)
