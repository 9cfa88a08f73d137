for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do print(k, v) end

-- expect: a	1
-- expect: b	2
