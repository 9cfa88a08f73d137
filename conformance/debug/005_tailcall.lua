-- istailcall and the traceback's "(...tail calls...)"
local function inner()
  local i = debug.getinfo(1, "t")
  print(i.istailcall)
  print(debug.traceback("here"))
  return 1
end
local function outer()
  return inner()
end
outer()
local function direct()
  print(debug.getinfo(1, "t").istailcall)
end
direct()

-- expect: true
-- expect: here
-- expect: stack traceback:
-- expect: 	conformance/debug/005_tailcall.lua:5: in function <conformance/debug/005_tailcall.lua:2>
-- expect: 	(...tail calls...)
-- expect: 	conformance/debug/005_tailcall.lua:11: in main chunk
-- expect: 	[C]: in ?
-- expect: false
