print(pcall(next, {}, "nope")) -- expect: false	invalid key to 'next'
