print(string.format("%q", 'he said "hi"\n\0'))

-- expect: "he said \"hi\"\
-- expect: \0"
