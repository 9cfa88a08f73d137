"""`python tests/plugins/launcher.py ARGS`: the prtip command from this checkout (no install
needed), as the plugin tests run it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import prtip.cli as cli  # noqa: E402

if __name__ == "__main__":
    cli.main()
