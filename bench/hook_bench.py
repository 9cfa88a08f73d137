"""Plugin-hook benchmark (issue 12): what a scan plugin's on_target costs per port result, and
the README's main job's wall time.

µs per on_target call = (time of `prtip -sT -p 3000-13000 127.0.0.1 --plugin scan-statistics`
- time of the same scan without the plugin) / port results, best of --runs whole-process times
each. Targets: <= 20 µs per call; the main job (`make run`) <= 5 s. Figures, never assertions.
prtip and luavm are byte-compiled first, as scan_bench.py does (as an installation is). Also
printed: the fixed cost (the same scan of two ports with and without the plugin: loading
luavm and the plugin) and the per-call slope without it, to show where the figure goes.

Usage: python bench/hook_bench.py [--runs N] [--no-main-job]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORTS = (3000, 13000)
MAIN_JOB = ["-sV", "-p-", "127.0.0.1", "--plugin", "banner-analyzer,ssl-checker,scan-statistics"]


def timed(args: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "prtip", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def compile_bytecode() -> None:
    """As an installed wheel is: no run pays for compiling Python source (PYTHONDONTWRITEBYTECODE
    may be set, and then nothing else would write the .pyc files)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "prtip"), str(ROOT / "luavm")],
                   check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-main-job", action="store_true")
    opts = parser.parse_args()
    compile_bytecode()
    scan = ["-sT", "-n", "-p", f"{PORTS[0]}-{PORTS[1]}", "127.0.0.1"]
    results = PORTS[1] - PORTS[0] + 1
    bare = min(timed(scan) for _ in range(opts.runs))
    with_plugin = min(timed(scan + ["--plugin", "scan-statistics"]) for _ in range(opts.runs))
    per_call = (with_plugin - bare) / results * 1e6
    print(f"on_target: {bare:.2f} s without, {with_plugin:.2f} s with scan-statistics, "
          f"{per_call:.0f} µs per call (target <= 20 µs: {per_call / 20:.2f}x of it)")
    two = ["-sT", "-n", "-p", f"{PORTS[0]}-{PORTS[0] + 1}", "127.0.0.1"]
    fixed = (min(timed(two + ["--plugin", "scan-statistics"]) for _ in range(opts.runs))
             - min(timed(two) for _ in range(opts.runs)))
    slope = (with_plugin - bare - fixed) / (results - 2) * 1e6
    print(f"  of which fixed (loading luavm and the plugin, 2-port scan): {fixed:.2f} s; "
          f"per call beyond it: {slope:.0f} µs")
    if not opts.no_main_job:
        wall = min(timed(MAIN_JOB) for _ in range(max(1, opts.runs // 3)))
        print(f"main job (prtip {' '.join(MAIN_JOB)}): {wall:.1f} s (target <= 5 s: {wall / 5:.2f}x of it)")


if __name__ == "__main__":
    main()
