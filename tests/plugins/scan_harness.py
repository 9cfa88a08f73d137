"""A real `prtip` scan as a user runs it, measured: exit status, every output, wall time, peak RSS.

Issue 11's promise is about whole scans: whatever a plugin does, the scan ends, writes every
result to every requested output (-oN, -oG, -oX, -oJ, --db) and leaves nothing behind. This
runs the command in its own session (so anything it leaves running is found by its process
group), reads its peak RSS from the kernel's accounting of that one child (``os.wait4``), and
parses every output back into {port: state}.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from plugin_helpers import LAUNCHER, ROOT, Home, cli_wired

HUNG = 120.0  # seconds: a scan still running after this is hung (the test fails, the scan is killed)


@dataclass
class Scan:
    """One finished (or killed) scan and what it left."""

    status: int | None  # None: hung and killed
    wall: float
    peak_rss: int  # bytes
    out: str
    err: str
    files: dict[str, Path]
    db: Path
    log: str
    leftovers: bool = False  # processes of the scan's session still alive after it exited
    extra: dict = field(default_factory=dict)

    def json(self) -> dict:
        return json.loads(self.files["J"].read_text())

    def ports(self) -> dict[int, dict]:
        return {p["port"]: p for h in self.json()["hosts"] for p in h["ports"]}


def _session_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_scan(home: Home, ports: list[int], plugins: list[str], folder: Path, *extra: str,
             db: Path | None = None, hung: float = HUNG) -> Scan:
    """``prtip -sT -n -p PORTS 127.0.0.1`` with every output and --db, plus the plugins."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"N": folder / "scan.nmap", "G": folder / "scan.gnmap", "X": folder / "scan.xml", "J": folder / "scan.json"}
    db = db or folder / "scan.db"
    args = ["-sT", "-n", "-p", ",".join(map(str, ports)), "127.0.0.1", "--db", str(db)]
    for kind, path in files.items():
        args += [f"-o{kind}", str(path)]
    for name in plugins:
        args += ["--plugin", name]
    env = dict(os.environ, PRTIP_HOME=str(home.path),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "prtip"] if cli_wired() else [sys.executable, str(LAUNCHER)]
    out_path, err_path = folder / "stdout", folder / "stderr"
    log_before = home.log.stat().st_size if home.log.exists() else 0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(command + args + list(extra), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env, cwd=home.path, start_new_session=True)
        status: int | None = None
        usage = None
        while True:
            pid, wstatus, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(wstatus)
                break
            if time.monotonic() - start > hung:
                os.killpg(proc.pid, signal.SIGKILL)
                _, wstatus, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - start
        proc.returncode = -1 if status is None else status  # reaped here, not by Popen
    leftovers = _session_alive(proc.pid)
    if leftovers:
        os.killpg(proc.pid, signal.SIGKILL)
    log = home.log.read_bytes()[log_before:].decode("utf-8", "surrogateescape") if home.log.exists() else ""
    return Scan(status, wall, usage.ru_maxrss * 1024, out_path.read_text("utf-8", "surrogateescape"),
                err_path.read_text("utf-8", "surrogateescape"), files, db, log, leftovers)


# ---------------------------------------------------------------- every output, parsed back

def states_json(scan: Scan) -> dict[int, str]:
    return {p: r["state"] for p, r in scan.ports().items()}


def states_xml(scan: Scan) -> dict[int, str]:
    root = ET.parse(scan.files["X"]).getroot()
    return {int(p.get("portid")): p.find("state").get("state") for p in root.iter("port")}


def states_grepable(scan: Scan) -> dict[int, str]:
    found: dict[int, str] = {}
    for line in scan.files["G"].read_text().splitlines():
        if "\tPorts: " in line:
            for entry in line.split("\tPorts: ", 1)[1].split("\t")[0].split(", "):
                port, state = entry.split("/")[:2]
                found[int(port)] = state
    return found


def states_normal(text: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for line in text.splitlines():
        head = line.split()
        if head and head[0].endswith("/tcp") and head[0][:-4].isdigit() and len(head) > 1:
            found[int(head[0][:-4])] = head[1]
    return found


def states_db(scan: Scan) -> dict[int, str]:
    with sqlite3.connect(scan.db) as conn:
        last = conn.execute("SELECT max(id) FROM scans").fetchone()[0]
        rows = conn.execute("SELECT port, state FROM results WHERE scan_id = ? AND port IS NOT NULL", (last,))
        return dict(rows.fetchall())


def assert_every_result_written(scan: Scan, expected: dict[int, str]) -> None:
    """Exit status 0 and every port, with its state, in -oJ, -oX, -oG, -oN, stdout and --db."""
    assert scan.status == 0, f"status {scan.status} after {scan.wall:.1f} s; stderr: {scan.err[-3000:]}"
    assert states_json(scan) == expected
    assert states_xml(scan) == expected
    assert states_grepable(scan) == expected
    assert states_normal(scan.files["N"].read_text("utf-8", "surrogateescape")) == expected
    assert states_normal(scan.out) == expected
    assert states_db(scan) == expected


def hook_seconds(log: str, plugin: str) -> list[float]:
    """How long each slow (≥ 1 s) hook call of ``plugin`` took, from the host's log lines."""
    out = []
    for line in log.splitlines():
        if f" plugin {plugin}: " in line and " took " in line and line.endswith(" s"):
            out.append(float(line.rsplit(" took ", 1)[1][:-2]))
    return out
