if 0 then print("0 true") end -- expect: 0 true
if "" then print("empty true") end -- expect: empty true
if not nil then print("nil false") end -- expect: nil false
