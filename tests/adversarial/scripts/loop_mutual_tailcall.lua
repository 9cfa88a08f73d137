-- expect: instructions
local even, odd
function even(n) return odd(n + 1) end
function odd(n) return even(n + 1) end
return even(0)
