-- expect: instructions
local f, g
function f(n) return g(n) + 1 end
function g(n) return f(n) + 1 end
f(1)
