local f
do
  local hidden = "inside"
  f = function() hidden = hidden .. "!" return hidden end
end
print(f(), f()) -- expect: inside!	inside!!
