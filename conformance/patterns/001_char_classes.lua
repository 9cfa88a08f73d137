local s = "aB3 _.\t"
for _, c in ipairs({"%a", "%d", "%l", "%u", "%s", "%w", "%p", "%c", "%x"}) do
  print(c, (s:gsub("[^" .. c .. "]", "")))
end

-- expect: %a	aB
-- expect: %d	3
-- expect: %l	a
-- expect: %u	B
-- expect: %s	 	
-- expect: %w	aB3
-- expect: %p	_.
-- expect: %c		
-- expect: %x	aB3
