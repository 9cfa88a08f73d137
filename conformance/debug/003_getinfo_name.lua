-- name and namewhat come from the call site
local function who() local i = debug.getinfo(2, "n"); return tostring(i.name) .. " " .. i.namewhat end
local function loc() return (who()) end
function glob() return (who()) end
local t = {}
function t.fld() return (who()) end
function t:meth() return (who()) end
print(loc()) -- expect: loc local
print(glob()) -- expect: glob global
print(t.fld()) -- expect: fld field
print(t:meth()) -- expect: meth method
local up = loc
local function viaup() return (up()) end
print(viaup()) -- expect: up upvalue
local mt = {__index = function(t, k) return who() end, __add = function(a, b) return who() end}
local obj = setmetatable({}, mt)
print(obj.anything) -- expect: nil 
print(obj + 1) -- expect: nil 
for w in function() if not t.done then t.done = true; return who() end end do print(w) end -- expect: nil 
print(pcall(who)) -- expect: true	pcall global
local function named() return debug.getinfo(1, "n").name end
print(named()) -- expect: named
