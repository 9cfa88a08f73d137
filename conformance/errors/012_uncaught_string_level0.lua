error("no position here", 0)

-- expect error: no position here
