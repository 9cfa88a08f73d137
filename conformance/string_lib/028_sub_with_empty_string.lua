print(("").sub("", 1, 1) == "", (""):byte()) -- expect: true
