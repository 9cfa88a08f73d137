"""The same large loopback scan locally and on a local Dask cluster, both times printed.

    .venv/bin/python bench/cluster_bench.py [--workers 2] [--repeat 2]

The scan: -sT -p- -T4 -n of 127.0.0.1-127.0.0.4 (4 × 65,535 probes), with listeners on a few
ports of each address; both runs must find every listener. ``--cluster local:N`` starts
N worker processes on this machine, so the figure shows what the second core buys (and what
starting the cluster costs: about a second, counted in the cluster time).
"""

from __future__ import annotations

import argparse
import json
import os
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


def scan(*extra: str) -> tuple[float, set[tuple[str, int]]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "prtip", "-sT", "-p-", "-T4", "-n", "--open", "-oJ", "-",
                           "127.0.0.1-4", *extra], capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"prtip failed ({' '.join(extra) or 'local'}):\n{proc.stderr}")
    doc = json.loads(proc.stdout)
    return elapsed, {(h["address"], p["port"]) for h in doc["hosts"] for p in h["ports"] if p["state"] == "open"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    socks, expected = listeners()
    local_times, cluster_times = [], []
    try:
        for _ in range(args.repeat):
            t, found = scan()
            local_times.append(t)
            if not expected <= found:
                raise SystemExit(f"local scan missed {sorted(expected - found)}")
            t, found_c = scan("--cluster", f"local:{args.workers}")
            cluster_times.append(t)
            # (the cluster's own scheduler and workers listen on 127.0.0.1 while it runs)
            if not expected <= found_c:
                raise SystemExit(f"cluster scan missed {sorted(expected - found_c)}")
    finally:
        for s in socks:
            s.close()
    best_local, best_cluster = min(local_times), min(cluster_times)
    print(f"probes: {len(ADDRESSES)} hosts x 65535 ports, -sT -T4, best of {args.repeat}")
    print(f"local           {best_local:7.2f} s   (all: {', '.join(f'{t:.2f}' for t in local_times)})")
    print(f"local:{args.workers} cluster {best_cluster:7.2f} s   (all: {', '.join(f'{t:.2f}' for t in cluster_times)})")
    print(f"speed-up        {best_local / best_cluster:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
