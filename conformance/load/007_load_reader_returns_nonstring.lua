local f, err = load(function() return {} end)
print(f, (err:match("^[^\n]*"))) -- expect: nil	conformance/load/007_load_reader_returns_nonstring.lua:1: reader function must return a string
