print(-"2", -"-2", -" 0x10 ", math.type(-"2"), math.type(-"2.5")) -- expect: -2	2	-16	integer	float
