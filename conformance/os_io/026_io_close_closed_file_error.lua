local f = io.tmpfile()
f:close()
io.close(f)

-- expect error: conformance/os_io/026_io_close_closed_file_error.lua:3: attempt to use a closed file
