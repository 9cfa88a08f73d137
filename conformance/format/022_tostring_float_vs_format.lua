print(string.format("%.14g", 0.1), tostring(0.1), string.format("%.14g", 2^63), string.format("%.17g", 0.1)) -- expect: 0.1	0.1	9.2233720368548e+18	0.10000000000000001
