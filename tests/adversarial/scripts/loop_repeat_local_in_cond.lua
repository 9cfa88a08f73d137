-- expect: instructions
repeat local done = nil until done
