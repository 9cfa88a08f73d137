-- weak tables lose the entries only garbage refers to, at a collection
local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
local keep = {}
wk[keep] = 1
wk[{}] = 2
wk[3] = {}
wv[1] = keep
wv[2] = {}
wv[3] = "strings stay"
collectgarbage()
local n = 0
for _ in pairs(wk) do n = n + 1 end
print(n, wk[keep], type(wk[3])) -- expect: 2	1	table
print(wv[1] == keep, wv[2], wv[3]) -- expect: true	nil	strings stay
-- ephemeron: a value that refers to its own key does not keep the key alive
local e = setmetatable({}, {__mode = "k"})
local function put()
  local k = {}
  e[k] = {k}
end
put()
collectgarbage()
print(next(e)) -- expect: nil
-- a loop that runs until the collector clears a weak entry (closure.lua does this)
local x = setmetatable({[1] = {}}, {__mode = "kv"})
local A = 0
while x[1] do
  local a = A .. A .. A .. A
  A = A + 1
end
print(x[1], A > 0) -- expect: nil	true
