-- expect: instructions
local n = 0
::again::
do
  local x = n
  do n = x + 1 end
end
goto again
