"""`python -m prtip`: the same as the `prtip` command."""

from prtip.launch import main

if __name__ == "__main__":
    main()
