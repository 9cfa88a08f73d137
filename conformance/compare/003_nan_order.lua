local nan = 0/0
print(nan < nan, nan <= nan, nan > 0, 1 < nan, math.huge > nan) -- expect: false	false	false	false	false
