print(-0.0, 0.0, 0.0 == -0.0, 1/-0.0, 1/0.0) -- expect: -0.0	0.0	true	-inf	inf
print(-0, 0 * -1.0) -- expect: 0	-0.0
