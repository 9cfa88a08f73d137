"""Local-segment benchmark: prtip against nmap on a lab Ethernet segment of network namespaces.

The lab (tests/scanner/lan_lab.py): a bridge, the scanner's namespace and three live hosts in
one /24; nothing leaves the lab's namespaces. Both scanners run in the same run, from inside the
scanner's namespace, with the same flags:

- host discovery of the /24 (`-sn`; both must find exactly the three hosts and the scanner);
- `-Pn -sT` of 20 ports on an address of the segment nobody has (no ARP reply).

Prints the best-of-N wall-clock times and prtip/nmap ratios (target: <= 1.5x each). Needs root.
Exit status 1 if a found set is wrong.

Usage: python bench/lan_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "scanner"))
import lan_lab  # noqa: E402

TARGET = 1.5
PORTS = "1-20"
UP_LINE = re.compile(r"^(?:Nmap|prtip) scan report for (\S+)", re.M)


def timed(argv: list[str]) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return time.perf_counter() - start, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0 or not shutil.which("nmap"):
        print("lan_bench: needs root and nmap", file=sys.stderr)
        return 2
    jobs = {
        "-sn of the /24": (["-n", "-sn", f"{lan_lab.PREFIX}.0/24"],
                           {*lan_lab.HOST_IPS, lan_lab.SCANNER_IP}),
        f"-Pn -sT -p {PORTS}, no ARP reply": (["-n", "-Pn", "-sT", "-p", PORTS, lan_lab.SILENT_IP],
                                               {lan_lab.SILENT_IP}),
    }
    ok = True
    with lan_lab.LanLab() as lab:
        for name, (flags, expected) in jobs.items():
            best: dict[str, float] = {}
            for _ in range(args.runs):
                for tool, argv in (("prtip", [sys.executable, "-m", "prtip", *flags]), ("nmap", ["nmap", *flags])):
                    took, out = timed(lab.command(*argv))
                    best[tool] = min(best.get(tool, took), took)
                    found = set(UP_LINE.findall(out))
                    if found != expected:
                        print(f"  {tool} {name}: found {sorted(found)}, expected {sorted(expected)}")
                        ok = False
            ratio = best["prtip"] / best["nmap"]
            verdict = "ok" if ratio <= TARGET else f"over the {TARGET}x target"
            print(f"{name:40s} prtip {best['prtip']:6.2f} s  nmap {best['nmap']:6.2f} s  "
                  f"ratio {ratio:4.2f}x  ({verdict})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
