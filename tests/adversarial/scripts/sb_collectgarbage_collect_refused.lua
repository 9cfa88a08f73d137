-- expect: error
-- message: hostile:3: bad argument #1 to 'collectgarbage' (invalid option 'collect')
collectgarbage("collect")
