-- expect: memory
-- limits: instructions=none
while true do
  pcall(function() local t = {} while true do t[#t + 1] = "x" .. #t end end)
end
