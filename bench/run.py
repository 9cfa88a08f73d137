"""Time luavm against the reference lua5.4 on bench/lua/*.lua, in the same run.

Per program: ``(wall time - start-up) / SCALE`` for each interpreter, where start-up is the time
to run an empty script and SCALE is the work factor set with ``-e SCALE=...`` (lua5.4 runs at
SCALE=1, luavm at a smaller SCALE so the suite stays short). Prints each ratio and the
geometric mean; checks that both print the same checksum at the same SCALE.

    .venv/bin/python bench/run.py [--luavm-scale 0.2] [--repeat 3] [names...]
"""

from __future__ import annotations

import argparse
import math
import os
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--luavm-scale", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    lua = shutil.which("lua5.4")
    if lua is None:
        print("lua5.4 not found: apt-get install lua5.4", file=sys.stderr)
        return 1
    programs = sorted(HERE.glob("lua/*.lua"))
    if args.names:
        programs = [p for p in programs if p.stem in args.names]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write("")
        empty = fh.name
    lua_start, _ = timed([lua, empty], args.repeat)
    vm_start, _ = timed(LUAVM + [empty], args.repeat)
    os.unlink(empty)
    s = args.luavm_scale
    ratios = []
    print(f"{'program':<12} {'lua5.4 s/unit':>14} {'luavm s/unit':>14} {'ratio':>8}  checksum")
    for prog in programs:
        rel = str(prog.relative_to(HERE.parent))
        t_ref, out_ref = timed([lua, "-e", "SCALE=1", rel], args.repeat)
        t_vm, out_vm = timed(LUAVM + ["-e", f"SCALE={s}", rel], args.repeat)
        _, out_ref_s = timed([lua, "-e", f"SCALE={s}", rel], 1)
        same = "ok" if out_ref_s == out_vm else f"MISMATCH {out_ref_s.strip()!r} vs {out_vm.strip()!r}"
        ref_unit = max(t_ref - lua_start, 1e-6)
        vm_unit = max(t_vm - vm_start, 1e-6) / s
        ratio = vm_unit / ref_unit
        ratios.append(ratio)
        print(f"{prog.stem:<12} {ref_unit:>14.3f} {vm_unit:>14.3f} {ratio:>8.1f}  {same}")
    gm = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"geometric mean luavm/lua5.4: {gm:.1f}  (luavm start-up {vm_start:.2f} s, lua5.4 {lua_start:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
