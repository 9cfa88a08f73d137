for p, c in utf8.codes("a\u{E9}\u{20AC}") do print(p, c) end

-- expect: 1	97
-- expect: 2	233
-- expect: 4	8364
