print("a\tb")
print("\65\066\x43\u{44}")
print("\z
      joined")
print('it\'s', "say \"hi\"")
print(#"\0\1\2")
print("\u{7FF}" == "\xDF\xBF")

-- expect: a	b
-- expect: ABCD
-- expect: joined
-- expect: it's	say "hi"
-- expect: 3
-- expect: true
