"""Time luavm against the reference lua5.4 on bench/lua/*.lua, in the same run.

Per program: ``(wall time - start-up) / SCALE`` for each interpreter, where start-up is the time
to run an empty script and SCALE is the work factor set with ``-e SCALE=...`` (lua5.4 runs at
SCALE=1, luavm at a smaller SCALE so the suite stays short). Prints each ratio and the
geometric mean; checks that both print the same checksum at the same SCALE.

    .venv/bin/python bench/run.py [--luavm-scale 0.2] [--repeat 3] [names...]

``--instructions`` counts instructions (valgrind's callgrind) instead of timing: one run each,
after a warm-up run (so luavm's compiled chunks come from its disk cache, as in a timed run's
best), with PYTHONHASHSEED=0. The counts do not move with the host's load, so they compare two
trees of luavm where wall time cannot tell a few percent apart: run the script from each tree.
Default scales there are 0.02 (luavm) and 0.1 (lua5.4); a whole run takes about ten minutes.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUAVM = [sys.executable, "-m", "luavm"]


def timed(cmd: list[str], repeat: int) -> tuple[float, str]:
    best = math.inf
    out = ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr}")
        best = min(best, dt)
        out = p.stdout
    return best, out


def counted(cmd: list[str], _repeat: int = 1) -> tuple[float, str]:
    """Instructions of one run of ``cmd`` under callgrind (after a warm-up run), and its output."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    warm = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent, env=env)
    if warm.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{warm.stderr}")
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                       capture_output=True, text=True, cwd=HERE.parent, env=env)
    found = re.search(r"Collected : (\d+)", p.stderr)
    if p.returncode != 0 or found is None:
        raise SystemExit(f"callgrind of {' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    return float(found.group(1)), warm.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--luavm-scale", type=float, default=None, help="default 0.2 (0.02 with --instructions)")
    ap.add_argument("--lua-scale", type=float, default=None, help="default 1 (0.1 with --instructions)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--instructions", action="store_true", help="count instructions (callgrind), not seconds")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    lua = shutil.which("lua5.4")
    if lua is None:
        print("lua5.4 not found: apt-get install lua5.4", file=sys.stderr)
        return 1
    if args.instructions and shutil.which("valgrind") is None:
        print("valgrind not found: apt-get install valgrind", file=sys.stderr)
        return 1
    measure = counted if args.instructions else timed
    unit = "Minstr/unit" if args.instructions else "s/unit"
    scale_vm = args.luavm_scale if args.luavm_scale is not None else (0.02 if args.instructions else 0.2)
    scale_ref = args.lua_scale if args.lua_scale is not None else (0.1 if args.instructions else 1.0)
    programs = sorted(HERE.glob("lua/*.lua"))
    if args.names:
        programs = [p for p in programs if p.stem in args.names]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write("")
        empty = fh.name
    lua_start, _ = measure([lua, empty], args.repeat)
    vm_start, _ = measure(LUAVM + [empty], args.repeat)
    os.unlink(empty)
    s, r = scale_vm, scale_ref
    shown = 1e-6 if args.instructions else 1.0  # millions of instructions, or seconds
    ratios = []
    print(f"{'program':<12} {'lua5.4 ' + unit:>19} {'luavm ' + unit:>19} {'ratio':>8}  checksum")
    for prog in programs:
        rel = str(prog.relative_to(HERE.parent))
        t_ref, _ = measure([lua, "-e", f"SCALE={r}", rel], args.repeat)
        t_vm, out_vm = measure(LUAVM + ["-e", f"SCALE={s}", rel], args.repeat)
        _, out_ref_s = timed([lua, "-e", f"SCALE={s}", rel], 1)
        same = "ok" if out_ref_s == out_vm else f"MISMATCH {out_ref_s.strip()!r} vs {out_vm.strip()!r}"
        ref_unit = max(t_ref - lua_start, 1e-6) / r
        vm_unit = max(t_vm - vm_start, 1e-6) / s
        ratio = vm_unit / ref_unit
        ratios.append(ratio)
        print(f"{prog.stem:<12} {ref_unit * shown:>19.3f} {vm_unit * shown:>19.3f} {ratio:>8.1f}  {same}")
    gm = math.exp(sum(map(math.log, ratios)) / len(ratios))
    what = "instructions" if args.instructions else "time"
    print(f"geometric mean luavm/lua5.4 ({what}): {gm:.1f}  (start-up: luavm {vm_start * shown:.2f}, "
          f"lua5.4 {lua_start * shown:.3f} {'M instructions' if args.instructions else 's'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
