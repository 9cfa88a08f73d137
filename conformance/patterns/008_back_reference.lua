print(('say "hi" or \'yo\''):match("([\"'])(.-)%1")) -- expect: "	hi
print(("abab"):match("(ab)%1")) -- expect: ab
