x_global = 5
print(_G.x_global, _ENV.x_global, _ENV == _G) -- expect: 5	5	true
