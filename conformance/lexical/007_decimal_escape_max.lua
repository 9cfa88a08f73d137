print(("\255"):byte()) -- expect: 255
print(load([[return "\256"]])) -- expect: nil	[string "return "\256""]:1: decimal escape too large near '"\256"'
