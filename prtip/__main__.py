"""`python -m prtip`: the same as the `prtip` command."""

from prtip.cli import main

if __name__ == "__main__":
    main()
