print(_G._G == _G, _G.print == print, type(_VERSION), _VERSION) -- expect: true	true	string	Lua 5.4
