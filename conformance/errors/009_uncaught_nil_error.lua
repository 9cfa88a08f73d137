error(nil)

-- expect error: (error object is a nil value)
