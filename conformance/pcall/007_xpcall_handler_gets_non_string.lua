print(xpcall(function() error({code = 7}) end, function(e) return e.code end)) -- expect: false	7
