print(type(print), type(function() end), tostring(print):match("^builtin") or tostring(print):match("^function")) -- expect: function	function	function
