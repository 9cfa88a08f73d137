print(string.format("%f %f %f", 1/0, -1/0, 0/0)) -- expect: inf -inf -nan
print(string.format("%.3f %5.1f", 2^63, -0.0)) -- expect: 9223372036854775808.000  -0.0
