print(tostring(true) .. tostring(false)) -- expect: truefalse
