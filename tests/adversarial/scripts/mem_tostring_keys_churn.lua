-- expect: return
-- limits: instructions=none memory=64KiB
-- result: done
for i = 1, 20000 do local s = "k" .. i end
return "done"
