print(#"\u{10FFFF}", #"\u{7FFFFFFF}") -- expect: 4	6
print(("\u{48}\u{49}")) -- expect: HI
