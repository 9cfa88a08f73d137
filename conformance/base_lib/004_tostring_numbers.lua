print(tostring(10), tostring(10.0), tostring(-0.0), tostring(1e300 * 10), tostring(-1e300 * 10)) -- expect: 10	10.0	-0.0	1e+301	-1e+301
print(tostring(2^24), tostring(123456.789e3), tostring(0.1 + 0.7)) -- expect: 16777216.0	123456789.0	0.8
