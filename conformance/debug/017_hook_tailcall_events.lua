-- call, tail call and return events of a chain of calls, and istailcall seen from a hook
local function f(x) return x end
function g(x) return f(x) end
function g1(x) g(x) end
local function h(x) local f = g1; return f(x) end
local b = {}
debug.sethook(function(e) table.insert(b, e .. " " .. tostring(debug.getinfo(2, "t").istailcall)) end, "cr")
h(false)
debug.sethook()
for _, e in ipairs(b) do print(e) end

-- expect: return false
-- expect: call false
-- expect: tail call true
-- expect: call false
-- expect: tail call true
-- expect: return true
-- expect: return true
-- expect: call false
