-- expect: instructions
repeat local a = 1 until false
