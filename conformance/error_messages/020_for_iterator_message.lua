print(pcall(function() for k in {} do end end)) -- expect: false	conformance/error_messages/020_for_iterator_message.lua:1: attempt to call a table value (for iterator 'for iterator')
