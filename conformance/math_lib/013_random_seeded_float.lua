math.randomseed(7)
print(math.random(), math.random(10), math.random(-5, 5), math.random(0)) -- expect: 0.77898184896709	8	5	6753524439270396089
