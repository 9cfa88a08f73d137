"""What the two high-risk capabilities do: `system` (run a command) and `database` (read SQL).

Both are plain Python functions bounded in time and size; api.py decides who may call them.

- run_command: argv only, never a shell; stdin is empty, the working directory is the plugin's
  data folder, the environment is reduced to PATH and LANG; the command is killed when its
  timeout (bounded by the hook's time left) ends; at most MAX_OUTPUT bytes of stdout and of
  stderr are kept (the rest goes to a temporary file that is then dropped).
- query_database: the scan's --db file opened with SQLite's ``mode=ro`` URI and
  ``PRAGMA query_only``; an authorizer allows reading only (no ATTACH, no writes, no
  pragmas), a progress handler stops statements that outlive the hook's time, and at most
  MAX_ROWS rows are returned.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

MAX_OUTPUT = 1 << 20
MAX_ROWS = 10_000
MAX_SQL = 64 * 1024
MAX_ARGV = 256


class CommandTimeout(Exception):
    """The command ran past its timeout and was killed."""


def run_command(argv: list[bytes], timeout: float, cwd: Path) -> tuple[int, bytes, bytes]:
    """Run ``argv`` without a shell; (exit status, stdout, stderr). Raises OSError, CommandTimeout."""
    cwd.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, env=env,
                                shell=False, close_fds=True, start_new_session=True)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise CommandTimeout() from None
        out.seek(0)
        err.seek(0)
        return status, out.read(MAX_OUTPUT), err.read(MAX_OUTPUT)


_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}
if hasattr(sqlite3, "SQLITE_RECURSIVE"):
    _READ_ACTIONS.add(sqlite3.SQLITE_RECURSIVE)


def _authorize(action: int, *_: Any) -> int:
    return sqlite3.SQLITE_OK if action in _READ_ACTIONS else sqlite3.SQLITE_DENY


def query_database(path: str, sql: str, params: list[Any], deadline: float) -> tuple[list[str], list[tuple], bool]:
    """Run one read-only statement: (column names, rows, truncated). Raises sqlite3.Error."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=max(0.0, min(5.0, deadline - time.monotonic())))
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(_authorize)
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        cur = conn.execute(sql, params)
        columns = [d[0] for d in cur.description or ()]
        rows = cur.fetchmany(MAX_ROWS + 1)
        return columns, rows[:MAX_ROWS], len(rows) > MAX_ROWS
    finally:
        conn.close()
