-- currentline of a call on another line than its statement's is the call's line
local f = assert(load("return 'abc\\z  \n   efg', require'debug'.getinfo(1).currentline", ''))
print(f())
local f = assert(load("return 'abc\\z  \n   efg', debug.getinfo(1).currentline", ''))
print(f())
local f = assert(load("return 1,\n debug.getinfo(1).currentline", ''))
print(f())
local f = assert(load("local a = 1\n return 1,\n debug.getinfo(1, 'l').currentline", ''))
print(f())

-- expect: abcefg	2
-- expect: abcefg	2
-- expect: 1	2
-- expect: 1	3
