print(os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%Y", 86400 * 366)) -- expect: 1970-01-01 00:00:00	1971
local t = os.date("!*t", 3600)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst) -- expect: 1970	1	1	1	0	0	5	1	false
