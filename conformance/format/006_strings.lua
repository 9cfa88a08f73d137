print(string.format("[%s] [%10s] [%-10s] [%.2s]", "abc", "abc", "abc", "abc")) -- expect: [abc] [       abc] [abc       ] [ab]
print(string.format("%s %s %s %s", nil, true, 12, 1.5)) -- expect: nil true 12 1.5
