-- line events of loops, repeat, do blocks and local functions (db.lua's programs)
local function trace(s)
  local l = {}
  local f = load(s)
  debug.sethook(function(e, line) l[#l + 1] = line end, "l"); f(); debug.sethook()
  print(table.concat(l, ","))
end
trace("local function foo()\nend\nfoo()\nA = 1\nA = 2\nA = 3\n")
trace("a=1\nrepeat\n  a=a+1\nuntil a==3\n")
trace(" do\n  return\nend\n")
trace("local a\na=1\nwhile a<=3 do\n  a=a+1\nend\n")
trace("while math.sin(1) do\n  if math.sin(1)\n  then break\n  end\nend\na=1")
trace("for i=1,3 do\n  a=i\nend\n")
trace("for i,v in pairs{'a','b'} do\n  a=tostring(i) .. v\nend\n")

-- expect: 2,3,2,4,5,6
-- expect: 1,3,4,3,4
-- expect: 2
-- expect: 1,2,3,4,3,4,3,4,3,5
-- expect: 1,2,3,6
-- expect: 1,2,1,2,1,2,1,3
-- expect: 1,2,1,2,1,3
