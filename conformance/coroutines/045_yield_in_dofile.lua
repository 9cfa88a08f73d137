-- a chunk run by dofile inside a coroutine may yield (PUC runs it with lua_callk)
local name = os.tmpname()
local f = io.open(name, "w")
f:write("local x, z = coroutine.yield(10)\nlocal y = coroutine.yield(20)\nreturn x + y * z\n")
f:close()
local co = coroutine.wrap(dofile)
print(co(name))
print(co(100, 101))
print(co(200))
os.remove(name)
-- expect: 10
-- expect: 20
-- expect: 20300
