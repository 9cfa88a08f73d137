local print = print
do
  local _ENV = {y = 7}
  print(y) -- expect: 7
end
