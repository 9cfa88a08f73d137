print(type(collectgarbage("count")), collectgarbage("step") ~= nil, collectgarbage()) -- expect: number	true	0
print(collectgarbage("isrunning")) -- expect: true
