local Base = {} Base.__index = Base
function Base:hello() return "base hello " .. self.name end
local Derived = setmetatable({}, {__index = Base}) Derived.__index = Derived
function Derived:bye() return "bye " .. self.name end
local obj = setmetatable({name = "d"}, Derived)
print(obj:hello(), obj:bye()) -- expect: base hello d	bye d
