-- expect: instructions
for x = 0.0, 1e308, 1e-300 do end
