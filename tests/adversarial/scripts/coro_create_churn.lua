-- expect: instructions
-- xfail-determinism: dropped coroutines stay collector roots until Python frees them (live_coroutines is a WeakSet), so the live figure depends on Python GC timing
-- coroutines dropped at once are garbage: this is an instruction bomb, not a memory bomb
while true do coroutine.create(print) end
