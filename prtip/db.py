"""The results database (--db FILE, `prtip db list|show|diff`): SQLite, two tables.

``scans`` holds one row per scan (its command line, times, counts); ``results`` one row per
port result, with the host's address, name and status alongside, so that two scans can be
compared port by port. Without -sV the service name is the port table's (method "table"). Hosts that were down or had no result are kept as a row with port NULL.
A scan is written when it ends, interrupted scans included (flagged).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from typing import Iterator

from prtip.errors import DatabaseError
from prtip.ports import service_name
from prtip.report import HostReport, Report

SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    args TEXT NOT NULL,
    scan_type TEXT NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    hosts_total INTEGER NOT NULL,
    hosts_up INTEGER NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0,
    prtip_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    hostname TEXT,
    host_status TEXT NOT NULL,
    port INTEGER,
    protocol TEXT,
    state TEXT,
    reason TEXT,
    service_name TEXT,
    product TEXT,
    version TEXT,
    info TEXT,
    os_type TEXT,
    confidence REAL,
    method TEXT,
    banner BLOB,
    plugins TEXT
);
CREATE INDEX IF NOT EXISTS results_by_scan ON results(scan_id, address, protocol, port);
"""


@dataclass(frozen=True)
class ScanRow:
    id: int
    args: str
    scan_type: str
    started: float
    finished: float | None
    hosts_total: int
    hosts_up: int
    interrupted: bool


def connect(path: str, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) a results database; errors name the file. Reading commands
    pass ``create=False``: a misspelt --db must be an error, not a new empty database."""
    if not create and not os.path.isfile(path):
        raise DatabaseError(f"no results database {path!r} (it is created by a scan with --db {path})")
    try:
        conn = sqlite3.connect(path)
        conn.executescript(SCHEMA)
        return conn
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot use database {path!r}: {exc}") from None


def _host_rows(scan_id: int, host: HostReport) -> Iterator[tuple]:
    t, status = host.target, ("up" if host.status.up else "down")
    results = host.ports()
    if not results:
        yield (scan_id, t.address, t.hostname, status) + (None,) * 13
    for r in results:
        s = r.service
        yield (scan_id, t.address, t.hostname, status, r.port, r.protocol, r.state, r.reason,
               s.name if s else service_name(r.port, r.protocol), s.product if s else None, s.version if s else None,
               s.info if s else None, s.os_type if s else None, s.confidence if s else None,
               s.method if s else "table", r.banner,
               json.dumps({k: dict(v) for k, v in r.plugins.items()}, default=str) if r.plugins else None)


def save(path: str, report: Report) -> int:
    """Store a finished report; returns the new scan id."""
    conn = connect(path)
    try:
        with conn:
            cur = conn.execute(
                "INSERT INTO scans (args, scan_type, started, finished, hosts_total, hosts_up, interrupted,"
                " prtip_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (report.config.args, ",".join(report.config.scan_type_names), report.start, report.end,
                 report.total_targets, report.hosts_up, int(report.interrupted), report.version))
            scan_id = int(cur.lastrowid or 0)
            conn.executemany("INSERT INTO results VALUES (" + ",".join("?" * 17) + ")",
                             (row for host in report.hosts.values() for row in _host_rows(scan_id, host)))
        return scan_id
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot write database {path!r}: {exc}") from None
    finally:
        conn.close()


class DbListener:
    """Report listener that saves the scan when it ends."""

    def __init__(self, path: str) -> None:
        connect(path).close()  # fail before scanning, not after
        self.path = path
        self.scan_id: int | None = None

    def begin(self, report: Report) -> None:
        pass

    def host_done(self, report: Report, host: HostReport) -> None:
        pass

    def end(self, report: Report) -> None:
        self.scan_id = save(self.path, report)


# ---- reading back (the `prtip db` commands) --------------------------------------------------
def list_scans(path: str) -> list[ScanRow]:
    conn = connect(path, create=False)
    try:
        rows = conn.execute("SELECT id, args, scan_type, started, finished, hosts_total, hosts_up,"
                            " interrupted FROM scans ORDER BY id").fetchall()
    finally:
        conn.close()
    return [ScanRow(*r[:7], bool(r[7])) for r in rows]


def get_scan(path: str, scan_id: int) -> tuple[ScanRow, list[sqlite3.Row]]:
    conn = connect(path, create=False)
    conn.row_factory = sqlite3.Row
    try:
        scan = conn.execute("SELECT id, args, scan_type, started, finished, hosts_total, hosts_up,"
                            " interrupted FROM scans WHERE id = ?", (scan_id,)).fetchone()
        if scan is None:
            raise DatabaseError(f"no scan with id {scan_id} in {path!r} (see `prtip db list --db {path}`)")
        rows = conn.execute("SELECT * FROM results WHERE scan_id = ? ORDER BY address, protocol, port",
                            (scan_id,)).fetchall()
    finally:
        conn.close()
    return ScanRow(*tuple(scan)[:7], bool(scan[7])), rows


@dataclass(frozen=True)
class Change:
    """One difference between two scans for one (address, protocol, port)."""

    address: str
    protocol: str
    port: int
    before: str | None  # "state service" or None when the port was not in that scan
    after: str | None

    def line(self) -> str:
        where = f"{self.address} {self.port}/{self.protocol}"
        if self.before is None:
            return f"+ {where} {self.after}"
        if self.after is None:
            return f"- {where} {self.before}"
        return f"~ {where} {self.before} -> {self.after}"


def _describe(row: sqlite3.Row) -> str:
    parts = [row["state"]]
    if row["service_name"]:
        parts.append(row["service_name"])
    version = " ".join(p for p in (row["product"], row["version"]) if p)
    if version:
        parts.append(version)
    return " ".join(parts)


def diff(path: str, old_id: int, new_id: int) -> list[Change]:
    """Port-level changes from scan old_id to scan new_id (state, service or version)."""
    _, old_rows = get_scan(path, old_id)
    _, new_rows = get_scan(path, new_id)
    def index(rows: list[sqlite3.Row]) -> dict[tuple[str, str, int], str]:
        return {(r["address"], r["protocol"], r["port"]): _describe(r) for r in rows if r["port"] is not None}
    before, after = index(old_rows), index(new_rows)
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], k[1], k[2])):
        b, a = before.get(key), after.get(key)
        if b != a:
            changes.append(Change(key[0], key[1], key[2], b, a))
    return changes
