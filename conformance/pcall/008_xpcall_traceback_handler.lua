local ok, tb = xpcall(function() error("oops") end, debug.traceback)
print(ok, type(tb), tb:match("^[^\n]+")) -- expect: false	string	conformance/pcall/008_xpcall_traceback_handler.lua:1: oops
print(tb:find("stack traceback:", 1, true) ~= nil) -- expect: true
