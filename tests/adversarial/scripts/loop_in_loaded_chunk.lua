-- expect: instructions
load("while true do end")()
