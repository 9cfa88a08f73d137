print(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1), math.atan(1, -1)) -- expect: 0.0	1.0	0.0	1.5707963267949	0.0	0.78539816339745	2.3561944901923
print(string.format("%.6f %.6f", math.pi, math.atan(0, -1))) -- expect: 3.141593 3.141593
