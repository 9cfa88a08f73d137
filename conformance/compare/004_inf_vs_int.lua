print(math.huge > math.maxinteger, -math.huge < math.mininteger, math.maxinteger < math.huge) -- expect: true	true	true
