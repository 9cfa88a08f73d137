"""The same large loopback scan locally and on a local Dask cluster, both times printed.

    .venv/bin/python bench/cluster_bench.py [--workers 2] [--repeat 2]

The scan: -sT -p- -T4 -n of 127.0.0.1-127.0.0.4 (4 × 65,535 probes), with listeners on a few
ports of each address; both runs must find every listener. ``--cluster local:N`` starts
N worker processes on this machine, so the figure shows what the second core buys (and what
starting the cluster costs: about a second, counted in the cluster time).

Besides the whole-process times it prints the parallel part alone, the probing phase that -v
reports ("Completed Connect Scan at ..., X.XXs elapsed"), and that of a local scan pinned to
one core (sched_setaffinity): a local connect scan already keeps more than one core busy (a
forked second prober, the kernel's loopback work), so against the one-core run the ratio shows
what the cluster's workers parallelize.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDRESSES = [f"127.0.0.{i}" for i in range(1, 5)]


def listeners() -> tuple[list[socket.socket], set[tuple[str, int]]]:
    socks, opened = [], set()
    for address in ADDRESSES:
        for _ in range(3):
            s = socket.socket()
            s.bind((address, 0))
            s.listen(64)
            socks.append(s)
            opened.add((address, s.getsockname()[1]))
    return socks, opened


PHASE = re.compile(r"^Completed \w[\w ]* Scan at [\d:]+, ([\d.]+)s elapsed", re.M)


class Run:
    """One scan: the whole process's wall time, its probing phase (-v), the open ports found."""

    def __init__(self, *extra: str, cores: set[int] | None = None) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        pin = (lambda: os.sched_setaffinity(0, cores)) if cores else None
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "prtip", "-sT", "-p-", "-T4", "-n", "--open", "-v", "-oJ", "-",
                               "127.0.0.1-4", *extra], capture_output=True, text=True, env=env, cwd=ROOT,
                              preexec_fn=pin)
        self.wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"prtip failed ({' '.join(extra) or 'local'}):\n{proc.stderr}")
        phase = PHASE.search(proc.stderr)
        if phase is None:
            raise SystemExit(f"no 'Completed ... Scan' line in prtip -v's stderr:\n{proc.stderr[-2000:]}")
        self.phase = float(phase.group(1))
        doc = json.loads(proc.stdout)
        self.found = {(h["address"], p["port"]) for h in doc["hosts"] for p in h["ports"] if p["state"] == "open"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    socks, expected = listeners()
    one_core = {min(os.sched_getaffinity(0))}
    runs: dict[str, list[Run]] = {"local": [], "local, 1 core": [], f"local:{args.workers} cluster": []}
    try:
        for _ in range(args.repeat):
            for name, extra, cores in (("local", (), None), ("local, 1 core", (), one_core),
                                       (f"local:{args.workers} cluster", ("--cluster", f"local:{args.workers}"), None)):
                run = Run(*extra, cores=cores)
                # (the cluster's own scheduler and workers listen on 127.0.0.1 while it runs)
                if not expected <= run.found:
                    raise SystemExit(f"{name} scan missed {sorted(expected - run.found)}")
                runs[name].append(run)
    finally:
        for s in socks:
            s.close()
    best = {name: (min(r.wall for r in rs), min(r.phase for r in rs)) for name, rs in runs.items()}
    print(f"probes: {len(ADDRESSES)} hosts x 65535 ports, -sT -T4, best of {args.repeat}; {os.cpu_count()} cores")
    print(f"{'':20} {'process s':>9} {'probing s':>9}   (all process / probing)")
    for name, rs in runs.items():
        print(f"{name:20} {best[name][0]:9.2f} {best[name][1]:9.2f}   "
              f"({', '.join(f'{r.wall:.2f}/{r.phase:.2f}' for r in rs)})")
    cluster = best[f"local:{args.workers} cluster"]
    print(f"speed-up, whole process:           {best['local'][0] / cluster[0]:5.2f}x")
    print(f"speed-up, probing:                 {best['local'][1] / cluster[1]:5.2f}x")
    print(f"speed-up, probing, vs one core:    {best['local, 1 core'][1] / cluster[1]:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
