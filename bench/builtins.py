"""Real seconds per million charged instructions for every builtin, on its worst inputs.

Each case is a Lua loop calling one builtin on inputs chosen to make it work hard (long strings,
pathological patterns, big tables, deep metatable chains, deep stacks). It runs in a fresh
runtime under an instruction budget (and a time limit, in case a charge is missing) and the
table shows what was charged and how long it really took. A builtin whose ratio passes the
target (3 s per 1M instructions; a plain Lua loop is ~0.25 s) is charged too little for its
work: docs/METERING.md says what each is charged.

    .venv/bin/python bench/builtins.py [--budget 2000000] [--target 3] [names...]

Exits with status 1 when a case is above the target.
"""

from __future__ import annotations

import argparse
import io
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from luavm import LimitExceeded, Limits, LuaError, LuaRuntime  # noqa: E402

# name -> (setup, loop body); the body runs in `while true do ... end` until the budget ends
S1M = 'local s = string.rep("a", 1000000) '
CASES: dict[str, tuple[str, str]] = {
    # ---- base
    "assert": ("", "assert(true, 1)"),
    "error+pcall": ("", "pcall(error, 'x')"),
    "error level, deep stack": ("", "DEEP(function() while true do pcall(error, 'x', 1e9) end end)"),
    "getmetatable": ("local t = setmetatable({}, {})", "getmetatable(t)"),
    "ipairs": ("local t = {} for i = 1, 1000 do t[i] = i end", "for _ in ipairs(t) do end"),
    "load": ("local src = string.rep('x = {{{{{{{{{{}}}}}}}}}} ', 200)", "load(src .. math.random())"),
    "load (cached)": ("", "load('return 1')"),
    "next": ("local t = {} for i = 1, 200000 do t[i] = i end", "next(t) next(t, 1)"),
    "pairs": ("local t = {} for i = 1, 100000 do t[i] = i end", "for _ in pairs(t) do break end"),
    "print": ("local t = {} for i = 1, 200 do t[i] = string.rep('x', 10000) end", "print(table.unpack(t))"),
    "rawequal": ("", "rawequal('a', 'a')"),
    "rawget/rawset": ("local t = {}", "rawset(t, 1, rawget(t, 1) or 1)"),
    "rawlen": ("local t = {} for i = 1, 1000 do t[i] = i end", "rawlen(t)"),
    "select": ("local t = {} for i = 1, 250 do t[i] = i end", "select(-1, table.unpack(t))"),
    "setmetatable": ("local mt = {}", "setmetatable({}, mt)"),
    "tonumber base 36": ("local z = string.rep('z', 600000)", "tonumber(z, 36)"),
    "tonumber base 35": ("local z = string.rep('y', 600000)", "tonumber(z, 35)"),
    "tonumber bad digit": ("local z = string.rep('z', 600000) .. '!'", "tonumber(z, 36)"),
    "tonumber (base 10)": ("local z = string.rep('9', 200) .. '.5e3'", "tonumber(z)"),
    "tostring": ("local t = setmetatable({}, {__tostring = function() return 'x' end})", "tostring(t)"),
    "type": ("", "type(1)"),
    "xpcall": ("", "xpcall(error, function(m) return m end, 'x')"),
    "collectgarbage": ("local keep = {} for i = 1, 100000 do keep[i] = {} end", "collectgarbage('count')"),
    # ---- string
    "string.byte": (S1M, "string.byte(s, 1, 100000)"),
    "string.char": ("local t = {} for i = 1, 200 do t[i] = 65 end", "string.char(table.unpack(t))"),
    "string.find plain": (S1M, "string.find(s, 'b', 1, true)"),
    "string.find pattern": (S1M, "string.find(s, '.-b')"),
    "string.find backtrack": ("local s = string.rep('a', 5000)", "string.find(s, 'a-a-a-a-b')"),
    "string.find %b": ("local s = string.rep('(', 20000)", "string.find(s, '%b()')"),
    "string.format": (S1M, "string.format('%s%q', s, 'x')"),
    "string.format %99d": ("", "string.format('%99d %99.99f', 1, 1.5)"),
    "string.gmatch": (S1M, "for _ in string.gmatch(s, 'a') do end"),
    "string.gsub": ("local s = string.rep('a', 1000)", "string.gsub(s, '(a-)', string.rep('%1', 1000))"),
    "string.gsub function": (S1M, "string.gsub(s, 'a', function(c) return c end, 100)"),
    "string.len": (S1M, "string.len(s)"),
    "string.lower/upper": (S1M, "string.upper(string.lower(s))"),
    "string.match": (S1M, "string.match(s, '(a*)b')"),
    "string.pack": ("", "string.pack('i16i16i16s4', 1, 2, 3, string.rep('x', 10000))"),
    "string.packsize": ("", "string.packsize(string.rep('i16', 1000))"),
    "string.rep": ("", "string.rep('ab', 100000, ',')"),
    "string.reverse": (S1M, "string.reverse(s)"),
    "string.sub": (S1M, "string.sub(s, 2, -2)"),
    "string.unpack": ("local p = string.pack('s4', string.rep('x', 100000))", "string.unpack('s4', p)"),
    "string concat ..": (S1M, "local x = s .. s"),
    # ---- table
    "table.concat": ("local t = {} for i = 1, 100000 do t[i] = 'abc' end", "table.concat(t, ',')"),
    "table.insert front": ("local t = {} for i = 1, 20000 do t[i] = i end",
                           "table.insert(t, 1, 0) table.remove(t, 1)"),
    "table.move": ("local t = {} for i = 1, 100000 do t[i] = i end", "table.move(t, 1, #t, 2)"),
    "table.pack/unpack": ("local t = {} for i = 1, 250 do t[i] = i end", "table.pack(table.unpack(t))"),
    "table.sort": ("local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 20011 end",
                   "local c = table.move(t, 1, #t, 1, {}) table.sort(c)"),
    "table.sort comparator": ("local t = {} for i = 1, 5000 do t[i] = (i * 7919) % 5011 end",
                              "local c = table.move(t, 1, #t, 1, {}) table.sort(c, function(a, b) return a > b end)"),
    "__index chain": ("local t = {} for i = 1, 90 do t = setmetatable({}, {__index = t}) end",
                      "local x = t.missing"),
    # ---- math
    "math.*": ("", "math.floor(math.sqrt(math.abs(-2.5)) + math.max(1, 2, 3) + math.fmod(7, 3))"),
    "math.random": ("", "math.random(1, 100)"),
    "math.tointeger/ult": ("", "math.tointeger(3.0) math.ult(1, 2)"),
    # ---- utf8
    "utf8.char": ("local t = {} for i = 1, 200 do t[i] = 0x10FFFF end", "utf8.char(table.unpack(t))"),
    "utf8.codepoint": ("local s = string.rep('\\u{10FFFF}', 50000)", "utf8.codepoint(s, 1, 4000)"),
    "utf8.codes iterator": ("local s = string.rep('\\x80', 1000000) local f = utf8.codes(s)", "pcall(f, s, 0)"),
    "utf8.len": ("local s = string.rep('\\u{10FFFF}', 250000)", "utf8.len(s)"),
    "utf8.offset": ("local s = string.rep('\\u{10FFFF}', 250000)", "utf8.offset(s, -100000)"),
    # ---- coroutine
    "coroutine.wrap/yield": ("local co = coroutine.wrap(function() while true do coroutine.yield(1) end end)",
                             "co()"),
    "coroutine.create/resume": ("", "coroutine.resume(coroutine.create(function() end))"),
    "coroutine.status/running": ("local co = coroutine.create(function() end)",
                                 "coroutine.status(co) coroutine.running() coroutine.isyieldable()"),
    # ---- os / io (the harmless ones)
    "os.clock/time/date": ("", "os.clock() os.time() os.date('%Y-%m-%d %H:%M:%S')"),
    "io.write": (S1M, "io.write(s)"),
}

DEEP = """
local function DEEP(f, d) d = d or 50000 if d == 0 then return f() end return DEEP(f, d - 1) end
"""


def run_case(setup: str, body: str, budget: int) -> tuple[int, float, str]:
    """Instructions charged and seconds spent by the loop alone (the setup's share removed)."""
    n0, t_setup = _setup_cost(setup, budget)
    rt = LuaRuntime(limits=Limits(instructions=budget, seconds=20.0), stdout=io.BytesIO(),
                    stderr=io.BytesIO())
    fn = rt.load(f"{DEEP}\n{setup}\nwhile true do {body} end", "=bench")
    how = "return"
    t0 = time.perf_counter()
    try:
        rt.pcall_host(fn)
    except LimitExceeded as e:
        how = e.kind
    except LuaError as e:
        how = f"error: {e}"[:60]
    dt = time.perf_counter() - t0
    n = rt.stats.instructions
    rt.close()
    return max(n - n0, 1), max(dt - t_setup, 0.0), how


def _setup_cost(setup: str, budget: int) -> tuple[int, float]:
    rt = LuaRuntime(limits=Limits(instructions=budget, seconds=20.0), stdout=io.BytesIO())
    t0 = time.perf_counter()
    try:
        rt.execute(f"{DEEP}\n{setup}", "=setup")
    except (LimitExceeded, LuaError):
        pass
    dt = time.perf_counter() - t0
    n = rt.stats.instructions
    rt.close()
    return n, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--budget", type=int, default=2_000_000)
    ap.add_argument("--target", type=float, default=3.0)
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    worst = 0.0
    print(f"{'builtin':28s} {'instructions':>12s} {'seconds':>8s} {'s / 1M':>7s}  stop")
    for name, (setup, body) in CASES.items():
        if a.names and not any(x in name for x in a.names):
            continue
        n, dt, how = run_case(setup, body, a.budget)
        r = dt / n * 1e6
        worst = max(worst, r)
        flag = "  <-- above target" if r > a.target else ""
        print(f"{name:28s} {n:12d} {dt:8.3f} {r:7.2f}  {how}{flag}", flush=True)
    print(f"worst: {worst:.2f} s per 1M instructions (target {a.target})")
    return 1 if worst > a.target else 0


if __name__ == "__main__":
    raise SystemExit(main())
