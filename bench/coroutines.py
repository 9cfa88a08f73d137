"""Real time of one coroutine resume/yield pair in luavm, and of keeping many coroutines alive.

A Lua loop of N resume/yield pairs is timed in-process with time.perf_counter; the same loop
calling an ordinary function instead is timed too and subtracted, so the figure is the cost of
the switch itself (the loop, the call and the charge of the loop body are common to both).

    .venv/bin/python bench/coroutines.py [--pairs 100000] [--repeat 5]

Run it with ``PYTHONPATH=<another checkout>`` to measure another version of luavm.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from luavm.runtime import LuaRuntime  # noqa: E402

SWITCH = b"""
local n = ...
local co = coroutine.wrap(function() while true do coroutine.yield() end end)
for i = 1, n do co() end
"""

# the same loop shape, with a plain call where the switch was
BASELINE = b"""
local n = ...
local co = function() end
for i = 1, n do co() end
"""

DEEP = b"""
local n = ...
local function rec(d) if d == 0 then while true do coroutine.yield() end end return (rec(d - 1)) end
local co = coroutine.wrap(function() rec(DEPTH) end)
for i = 1, n do co() end
"""

MANY = b"""
local n = ...
local t = {}
for i = 1, n do
  local co = coroutine.create(function(x) local y = coroutine.yield(x) return y end)
  coroutine.resume(co, i)
  t[i] = co
end
local s = 0
for i = 1, n do local _, v = coroutine.resume(t[i], i) s = s + v end
return s
"""


def best_time(src: bytes, n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        rt = LuaRuntime()
        f = rt.load(src, "=bench")
        t0 = time.perf_counter()
        rt.pcall_host(f, n)
        best = min(best, time.perf_counter() - t0)
        rt.close()
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--many", type=int, default=100_000, help="coroutines kept suspended at once")
    args = ap.parse_args()
    n = args.pairs
    t_switch = best_time(SWITCH, n, args.repeat)
    t_base = best_time(BASELINE, n, args.repeat)
    per_pair = (t_switch - t_base) / n
    print(f"resume/yield pair:            {per_pair * 1e6:8.2f} us  "
          f"({n} pairs in {t_switch:.3f} s, plain-call loop {t_base:.3f} s)")
    for depth in (10, 100):
        t_deep = best_time(DEEP.replace(b"DEPTH", str(depth).encode()), n // 10, args.repeat)
        per = (t_deep - t_base / 10) / (n // 10)
        print(f"pair suspended {depth:3d} calls deep: {per * 1e6:8.2f} us")
    t0 = time.perf_counter()
    rt = LuaRuntime()
    (s,) = rt.pcall_host(rt.load(MANY, "=many"), args.many)
    dt = time.perf_counter() - t0
    stats = rt.stats
    print(f"{args.many} coroutines suspended at once: {dt:.2f} s, accounted peak "
          f"{stats.memory_peak / 2**20:.1f} MiB ({stats.memory_peak / args.many:.0f} bytes each)")
    rt.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
