-- expect: instructions
-- coroutines dropped at once are garbage: this is an instruction bomb, not a memory bomb
while true do coroutine.create(print) end
