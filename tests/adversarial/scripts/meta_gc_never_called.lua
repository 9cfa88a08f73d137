-- expect: return
-- limits: instructions=500000 memory=64KiB
-- result: done nil
-- __gc is not supported: a finalizer must never run, so it cannot run after a limit either
for i = 1, 2000 do
  setmetatable({}, {__gc = function() gc_ran = true while true do end end})
end
return "done", gc_ran
