-- expect: error
-- message: hostile:4: bad argument #1 to 'collectgarbage' (invalid option 'collect')
-- no argument means "collect", which the sandbox refuses too
collectgarbage()
