print(pcall(function() return {} < 1 end)) -- expect: false	conformance/error_messages/009_compare_messages.lua:1: attempt to compare table with number
print(pcall(function() return "a" < 1 end)) -- expect: false	conformance/error_messages/009_compare_messages.lua:2: attempt to compare string with number
print(pcall(function() return nil < nil end)) -- expect: false	conformance/error_messages/009_compare_messages.lua:3: attempt to compare two nil values
print(pcall(function() return true <= false end)) -- expect: false	conformance/error_messages/009_compare_messages.lua:4: attempt to compare two boolean values
print(pcall(function() return 1 < print end)) -- expect: false	conformance/error_messages/009_compare_messages.lua:5: attempt to compare number with function
