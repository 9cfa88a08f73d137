"""What the two high-risk capabilities do: `system` (run a command) and `database` (read SQL).

Both are plain Python functions bounded in time and size; api.py decides who may call them.

- run_command: argv only, never a shell; stdin is empty, the working directory is the plugin's
  data folder, the environment is reduced to PATH and LANG; the command runs in its own
  process group (a new session), and the whole group is killed when the command exits or its
  timeout (bounded by the hook's time left) ends, so nothing it started in the background
  outlives the call (a process that makes itself a new session escapes; see SECURITY.md);
  at most MAX_OUTPUT bytes of stdout and of stderr are kept (the rest goes to a temporary
  file that is then dropped).
- query_database: the scan's --db file opened with SQLite's ``mode=ro`` URI and
  ``PRAGMA query_only``; an authorizer allows reading only (no ATTACH, no writes, no
  pragmas), SQLite's limits cap every value at MAX_VALUE bytes (no 900 MB randomblob), a
  small page cache makes big sorts spill to a temporary file instead of memory, a progress
  handler stops statements that outlive the hook's time and charges the plugin's instruction
  budget, rows are fetched and charged to the plugin's memory one at a time, and at most
  MAX_ROWS rows are returned.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

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
        # its own session, so its own process group: whatever it starts can be killed with it
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, env=env,
                                shell=False, close_fds=True, start_new_session=True)
        try:
            finished = _wait_unreaped(proc.pid, timeout)
        finally:
            # the direct child is not reaped yet (WNOWAIT), so its pid, the group's id, cannot
            # have been reused: killing the group reaches exactly what the command started
            _kill_group(proc.pid)
            status = proc.wait()
        if not finished:
            raise CommandTimeout()
        out.seek(0)
        err.seek(0)
        return status, out.read(MAX_OUTPUT), err.read(MAX_OUTPUT)


def _wait_unreaped(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` s for the child to exit, leaving it a zombie; False on timeout."""
    end = time.monotonic() + timeout
    delay = 0.0005
    while True:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
                return True
        except ChildProcessError:  # already reaped by someone else: nothing left to wait for
            return True
        left = end - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(delay, left))
        delay = min(delay * 2, 0.02)


def _kill_group(pgid: int) -> None:
    """SIGKILL the command's whole process group (its background children too), if any is left."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}
if hasattr(sqlite3, "SQLITE_RECURSIVE"):
    _READ_ACTIONS.add(sqlite3.SQLITE_RECURSIVE)


def _authorize(action: int, *_: Any) -> int:
    return sqlite3.SQLITE_OK if action in _READ_ACTIONS else sqlite3.SQLITE_DENY


# SQLite's own per-connection limits (sqlite3_limit), chosen so that no single step of a
# statement can hold more than MAX_VALUE bytes or run long between two progress checks:
# building one 1 MiB value (randomblob, printf, hex, replace) takes a few milliseconds.
MAX_VALUE = 1 << 20
CONNECTION_LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_VALUE,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: MAX_SQL,
    sqlite3.SQLITE_LIMIT_COLUMN: 256,
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 200,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 64,
    sqlite3.SQLITE_LIMIT_VDBE_OP: 50_000,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 32,
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 10_000,
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 256,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 1,
    sqlite3.SQLITE_LIMIT_WORKER_THREADS: 0,
}
CACHE_KIB = 1024  # page cache of the plugin's connection; sorts beyond it spill to a temporary file
PROGRESS_OPS = 1000  # SQLite VM steps between two calls of the progress handler (~20 us)


def query_database(path: str, sql: str, params: list[Any], deadline: float,
                   on_row: Callable[[list[str], tuple], None], progress: Callable[[], None] | None = None) -> bool:
    """Run one read-only statement, handing each row to ``on_row(columns, row)``; True if cut
    at MAX_ROWS.

    Rows are fetched one at a time, so ``on_row`` can charge each to the plugin's memory
    before the next exists. ``progress`` runs every PROGRESS_OPS steps of SQLite's VM (the
    plugin's instruction charge); whatever it or ``on_row`` raises (a limit) stops the
    statement and is raised here. Past ``deadline`` the statement is interrupted:
    sqlite3.OperationalError. Other failures: sqlite3.Error."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=max(0.0, min(5.0, deadline - time.monotonic())))
    stopped: list[BaseException] = []

    def step() -> int:
        if time.monotonic() > deadline:
            return 1
        if progress is not None:
            try:
                progress()
            except BaseException as exc:  # handed back to the caller once SQLite has unwound
                stopped.append(exc)
                return 1
        return 0

    try:
        for limit, value in CONNECTION_LIMITS.items():
            conn.setlimit(limit, value)
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(_authorize)
        conn.set_progress_handler(step, PROGRESS_OPS)
        try:
            cur = conn.execute(sql, params)
            columns = [d[0] for d in cur.description or ()]
            for _ in range(MAX_ROWS):
                row = cur.fetchone()
                if row is None:
                    return False
                on_row(columns, row)
            return cur.fetchone() is not None
        except sqlite3.Error:
            if stopped:
                raise stopped[0] from None
            raise
    finally:
        conn.close()
