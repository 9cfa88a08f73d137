error({})

-- expect error: (error object is a table value)
