do
  do goto out end
  print("skipped")
end
::out::
print("reached") -- expect: reached
