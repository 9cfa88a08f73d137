print(os.getenv("LUAVM_SURELY_NOT_SET_VARIABLE")) -- expect: nil
