"""The `prtip` console script and `python -m prtip`: cli.main() with a command-line process's
start and end tuned, since a 20-port scan is over in a few milliseconds and the rest of its
time is Python starting and stopping.

- Start: the cyclic collector is paused while click, asyncio and the scan's modules import.
  Modules build no garbage cycles, yet their allocations ran dozens of collections (5 ms of a
  small scan's 85 ms). What they built is then frozen out of later collections
  (``gc.freeze``), and the collector runs as usual for the scan itself.
- End: once the command is done (outputs closed, database committed), the atexit handlers run
  (logging's flush among them), stdout and stderr are flushed, and the process ends without
  the interpreter's teardown, which only frees memory the kernel reclaims anyway (10 ms after a
  small scan, more after a large one). With threads still running, it exits the usual way,
  which waits for them.

In-process callers (tests, other programs) use prtip.cli.main, which does none of this.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

gc.disable()  # until main() has imported what the command needs


def main() -> NoReturn:
    from prtip import cli

    if cli.is_scan_command(sys.argv[1:]):
        import prtip.pipeline  # noqa: F401  (the scan's imports, still without collections)
    gc.freeze()
    gc.enable()
    try:
        cli.main()
        status = 0
    except SystemExit as exc:
        status = exit_status(exc.code)
    exit_now(status)


def exit_status(code: object) -> int:
    """sys.exit's argument as a process status: None is 0; a message is printed, status 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_now(status: int) -> NoReturn:
    """End the process with ``status`` after the atexit handlers, skipping the teardown."""
    if threading.active_count() > 1:
        sys.exit(status)  # the interpreter joins non-daemon threads first
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (prtip ... | head): as Python does, 120
            status = status or 120
    os._exit(status)
