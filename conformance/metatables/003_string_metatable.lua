print(getmetatable("").__index == string, ("x"):upper()) -- expect: true	X
