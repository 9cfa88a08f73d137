local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t)) -- expect: locked
print(pcall(setmetatable, t, {})) -- expect: false	cannot change a protected metatable
