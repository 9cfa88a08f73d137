print(pcall(function() return math.huge // 1 | 0 end)) -- expect: false	conformance/error_messages/015_number_too_large_for_int.lua:1: number has no integer representation
print(pcall(function() local t = {} return ("x"):rep(1e100) end)) -- expect: false	conformance/error_messages/015_number_too_large_for_int.lua:2: bad argument #1 to 'rep' (number has no integer representation)
