print(string.format("%g %g %g %#g", 1.0, 1.5, 123456789, 1.0)) -- expect: 1 1.5 1.23457e+08 1.00000
