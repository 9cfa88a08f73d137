print(pcall(function() return 1.5 | 0 end)) -- expect: false	conformance/error_messages/014_no_integer_rep.lua:1: number has no integer representation
print(pcall(string.rep, "x", 1.5)) -- expect: false	bad argument #2 to 'string.rep' (number has no integer representation)
print(pcall(string.char, 2^63)) -- expect: false	bad argument #1 to 'string.char' (number has no integer representation)
