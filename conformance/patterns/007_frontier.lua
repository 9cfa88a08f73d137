print(("THE (quick) fox"):gsub("%f[%a]%a+", "W")) -- expect: W (W) W	3
print(("hello world"):find("%f[%w]%w+", 2)) -- expect: 7	11
