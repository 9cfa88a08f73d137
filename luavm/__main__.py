from luavm.cli import main

main()
