-- call and return hooks: events and the names of the functions they report
local trace = {}
local function hook(event)
  local i = debug.getinfo(2, "nS")
  if i.what ~= "C" then
    trace[#trace + 1] = event .. " " .. tostring(i.name)
  end
end
local function leaf(x) return x end
local function mid(x) return leaf(x) end
local function top() local v = mid(1); return v end
debug.sethook(hook, "cr")
top()
debug.sethook()
for _, s in ipairs(trace) do print(s) end
print(debug.gethook())

-- expect: call top
-- expect: call mid
-- expect: tail call nil
-- expect: return nil
-- expect: return top
-- expect: nil
