"""The --resume journal: an SQLite file in which a scan records its progress as it goes, so an
interrupted run (Ctrl-C, kill, crash, power loss) continues where it stopped.

What is recorded: the command line (``prtip --resume FILE`` alone reruns it), a fingerprint of
what the scan covers (targets, ports, scan types, seed, shard: a journal is never applied to
another scan), every host as discovery decided it, every port result as the report received it
(a later result for the same port, -sV's, replaces it), and which hosts are complete.

On resume, complete hosts are replayed from the journal without a packet sent; a host that was
in progress keeps the results already recorded and is scanned only on its other ports (then
-sV and plugins run over the whole host as usual). A port is in the results once: the journal's
key is (address, protocol, port), and the report keeps one result per port.

Writes are batched (one transaction per ``FLUSH_ROWS`` results or ``FLUSH_SECONDS``, and at
every host's end) in WAL mode: a kill loses at most the last batch, whose ports are scanned
again on resume.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass, field

from prtip.errors import JournalError
from prtip.model import HostStatus, PortResult
from prtip.wire import decode_result, decode_status, encode_result, encode_status

FLUSH_ROWS = 2000
FLUSH_SECONDS = 0.5
FORMAT = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hosts (
    address TEXT PRIMARY KEY, seq INTEGER NOT NULL, status TEXT NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0, timed_out INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS results (
    address TEXT NOT NULL, protocol TEXT NOT NULL, port INTEGER NOT NULL, result TEXT NOT NULL,
    PRIMARY KEY (address, protocol, port)
);
"""


@dataclass
class JournalHost:
    """One host as the journal knows it."""

    status: HostStatus
    finished: bool
    timed_out: bool
    results: dict[tuple[str, int], PortResult] = field(default_factory=dict)


def _connect(path: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
        return conn
    except sqlite3.DatabaseError as exc:
        raise JournalError(f"cannot use resume journal {path!r}: {exc}") from None


def stored_command(path: str) -> list[str]:
    """The arguments of the scan that wrote journal ``path`` (for ``prtip --resume FILE``)."""
    if not os.path.isfile(path):
        raise JournalError(f"no resume journal {path!r}: start the scan with its options and --resume {path}")
    conn = _connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'argv'").fetchone()
    finally:
        conn.close()
    if row is None:
        raise JournalError(f"{path!r} is not a prtip resume journal (no command recorded)")
    return list(json.loads(row[0]))


class Journal:
    """The open journal of the running scan."""

    def __init__(self, path: str, argv: list[str], fingerprint: str) -> None:
        self.path = path
        self.conn = _connect(path)
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if meta:
            if meta.get("format") != str(FORMAT) or meta.get("fingerprint") != fingerprint:
                self.conn.close()
                raise JournalError(
                    f"resume journal {path!r} belongs to another scan ({meta.get('command', '?')}): "
                    f"resume it with `prtip --resume {path}` alone, or give a new file")
        else:
            with self.conn:
                self.conn.execute("BEGIN")
                self.conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", str(FORMAT)), ("fingerprint", fingerprint), ("argv", json.dumps(argv)),
                    ("command", "prtip " + " ".join(argv)), ("started", repr(time.time()))])
        self.pending: list[tuple[str, str, int, str]] = []
        self.last_flush = time.monotonic()
        self.seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM hosts").fetchone()[0]

    def load(self) -> dict[str, JournalHost]:
        """What earlier runs recorded, by address, in the order hosts were started."""
        hosts = {}
        for address, status, finished, timed_out in self.conn.execute(
                "SELECT address, status, finished, timed_out FROM hosts ORDER BY seq"):
            hosts[address] = JournalHost(decode_status(json.loads(status)), bool(finished), bool(timed_out))
        for address, text in self.conn.execute("SELECT address, result FROM results ORDER BY rowid"):
            host = hosts.get(address)
            if host is not None:
                r = decode_result(json.loads(text))
                host.results[(r.protocol, r.port)] = r
        return hosts

    def host_started(self, status: HostStatus) -> None:
        self.seq += 1
        self.conn.execute("INSERT INTO hosts (address, seq, status) VALUES (?, ?, ?) ON CONFLICT(address) "
                          "DO UPDATE SET status = excluded.status",
                          (status.target.address, self.seq, json.dumps(encode_status(status))))

    def result(self, r: PortResult) -> None:
        self.pending.append((r.host, r.protocol, r.port, json.dumps(encode_result(r))))
        if len(self.pending) >= FLUSH_ROWS or time.monotonic() - self.last_flush > FLUSH_SECONDS:
            self.flush()

    def host_finished(self, address: str, timed_out: bool) -> None:
        self.flush()
        self.conn.execute("UPDATE hosts SET finished = 1, timed_out = ? WHERE address = ?",
                          (int(timed_out), address))

    def flush(self) -> None:
        if self.pending:
            with self.conn:
                self.conn.execute("BEGIN")
                self.conn.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", self.pending)
            self.pending.clear()
        self.last_flush = time.monotonic()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()
