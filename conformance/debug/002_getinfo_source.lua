-- source, short_src, what, linedefined, lastlinedefined
local function f()
  return 1
end
local i = debug.getinfo(f, "S")
print(i.source, i.short_src, i.what, i.linedefined, i.lastlinedefined)
i = debug.getinfo(1, "S")
print(i.source, i.short_src, i.what, i.linedefined, i.lastlinedefined)
local g = load("return debug.getinfo(1, 'S')", "modname")
i = g()
print(i.source, i.short_src, i.what)
g = load("return debug.getinfo(1, 'S')", "=my chunk")
i = g()
print(i.source, i.short_src)
g = load("\n\nreturn function() end")()
i = debug.getinfo(g, "S")
print(i.source, i.short_src, i.linedefined, i.lastlinedefined)
i = debug.getinfo(print)
print(i.source, i.short_src, i.what, i.linedefined, i.lastlinedefined, i.currentline, i.func == print)

-- expect: @conformance/debug/002_getinfo_source.lua	conformance/debug/002_getinfo_source.lua	Lua	2	4
-- expect: @conformance/debug/002_getinfo_source.lua	conformance/debug/002_getinfo_source.lua	main	0	0
-- expect: modname	[string "modname"]	main
-- expect: =my chunk	my chunk
-- expect: 
-- expect: 
-- expect: return function() end	[string "..."]	3	3
-- expect: =[C]	[C]	C	-1	-1	-1	true
