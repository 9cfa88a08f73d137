io.write("partial ")
print("line") -- expect: partial line
error("stop")

-- expect error: conformance/os_io/014_print_then_error_order.lua:3: stop
