--[[ block
comment ]] print("after block")
--[==[ long
]] still comment ]==] print("level 2")
print(1 --[[inline]] + 2)

-- expect: after block
-- expect: level 2
-- expect: 3
