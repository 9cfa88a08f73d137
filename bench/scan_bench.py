"""Scanner benchmark: prtip against nmap on 127.0.0.1, ports 1-65535, -sT and -sS at -T4.

Both scanners run with the same flags in the same run; the best of --runs wall-clock times is
compared (targets: prtip <= 2x nmap for -sT, <= 3x for -sS). Both must find exactly the
listening TCP ports `ss -ltn` shows for 127.0.0.1 (loopback self-connects must not add any).
-sS runs only as root. Exit status 1 if any scanner's port list is wrong.

Usage: python bench/scan_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["-T4", "-n", "-p-"]
TARGETS = {"-sT": 2.0, "-sS": 3.0}


def listening_ports() -> set[int]:
    """TCP ports `ss -ltn` shows listening on an address that 127.0.0.1 reaches."""
    out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True).stdout
    ports = set()
    for line in out.splitlines():
        local = line.split()[3]
        addr, _, port = local.rpartition(":")
        if addr in ("127.0.0.1", "0.0.0.0", "*", "[::]", "[::ffff:127.0.0.1]"):
            ports.add(int(port))
    return ports


def run_prtip(scan: str) -> tuple[float, set[int]]:
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "prtip", scan, *FLAGS, "-oJ", f.name, "127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
        took = time.perf_counter() - start
        doc = json.loads(Path(f.name).read_text())
    found = {p["port"] for h in doc["hosts"] for p in h["ports"] if p["state"] == "open"}
    return took, found


def run_nmap(scan: str) -> tuple[float, set[int]]:
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        start = time.perf_counter()
        subprocess.run(["nmap", scan, *FLAGS, "-oX", f.name, "127.0.0.1"], check=True,
                       stdout=subprocess.DEVNULL)
        took = time.perf_counter() - start
        root = ET.parse(f.name).getroot()
    found = {int(p.get("portid")) for p in root.iter("port") if p.find("state").get("state") == "open"}
    return took, found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per scanner and scan type (best counts)")
    args = ap.parse_args()
    if not shutil.which("nmap"):
        print("nmap is not installed (apt-get install nmap): nothing to compare with", file=sys.stderr)
        return 2
    scans = ["-sT"] + (["-sS"] if os.geteuid() == 0 else [])
    expected = listening_ports()
    print(f"listening on 127.0.0.1 (ss -ltn): {len(expected)} ports")
    print(f"{'scan':6} {'prtip s':>8} {'nmap s':>8} {'ratio':>6} {'target':>7}  ports")
    ok = True
    for scan in scans:
        p_times, n_times = [], []
        p_ports = n_ports = set()
        for _ in range(args.runs):
            t, p_ports = run_prtip(scan)
            p_times.append(t)
            t, n_ports = run_nmap(scan)
            n_times.append(t)
        p, n = min(p_times), min(n_times)
        now = listening_ports()  # services may come and go while we measure
        p_ok = expected <= p_ports | (expected ^ now) and p_ports <= expected | now
        n_ok = expected <= n_ports | (expected ^ now) and n_ports <= expected | now
        ok &= p_ok and n_ok
        verdict = ("prtip ok" if p_ok else f"prtip WRONG {sorted(p_ports ^ expected)}") + ", " + (
            "nmap ok" if n_ok else f"nmap WRONG {sorted(n_ports ^ expected)}")
        print(f"{scan:6} {p:8.2f} {n:8.2f} {p / n:6.2f} {TARGETS[scan]:6.1f}x  {verdict}")
    if os.geteuid() != 0:
        print("(-sS skipped: needs root)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
