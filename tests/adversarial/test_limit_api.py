"""Host-side adversarial checks: isolation between runtimes, the limit API, the CLI, accounting.

The hostile scripts (test_hostile_scripts.py) check one script at a time; these tests check what
a script cannot see by itself: another runtime, the host's exception handling, the exit status
and stats of the `luavm` command, resident memory against accounted memory, and bounds on how
much work one instruction or one byte of budget can buy.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import peak_rss, reset_peak_rss  # noqa: E402

from luavm import (  # noqa: E402
    InstructionLimitExceeded, LimitExceeded, Limits, LuaError, LuaRuntime, MemoryLimitExceeded,
    TimeLimitExceeded,
)

ROOT = Path(__file__).resolve().parents[2]


def sandbox(**limits) -> LuaRuntime:
    return LuaRuntime(sandbox=True, limits=Limits(**limits), stdout=io.BytesIO())


# ------------------------------------------------------------------ isolation between runtimes

def test_library_tampering_does_not_reach_another_runtime():
    a, b = sandbox(), sandbox()
    for src in ("string.rep = function() return 'pwned' end",
                "rawset(string, 'rep', print)",
                "getmetatable('').__index = {rep = function() return 'pwned' end}",
                "table.insert(string, 1)"):
        with pytest.raises(LuaError, match="attempt to modify a read-only table"):
            a.execute(src, "=a")
    a.execute("_G.string = {rep = function() return 'mine' end} math = nil", "=a")
    assert a.execute("return string.rep('x', 2), ('y'):rep(2)", "=a") == (b"mine", b"yy")
    assert b.execute("return string.rep('x', 2), ('y'):rep(2), type(math)", "=b") == (b"xx", b"yy", b"table")
    assert a.globals[b"table"] is not b.globals[b"table"]


def test_a_limit_in_one_runtime_leaves_another_untouched():
    a, b = sandbox(instructions=1000), sandbox(instructions=100_000)
    b.execute("x = 0 for i = 1, 10 do x = x + i end", "=b")
    before = b.stats.instructions
    with pytest.raises(InstructionLimitExceeded):
        a.execute("while true do end", "=a")
    assert b.stats.instructions == before
    assert b.execute("return x", "=b") == (55,)


def test_budget_can_be_renewed_after_each_kind_of_limit():
    for limits, src in ((dict(instructions=5000), "while true do end"),
                        (dict(memory=64 * 1024), "local t = {} while true do t[#t + 1] = {} end"),
                        (dict(seconds=0.2), "while true do end")):
        rt = sandbox(**limits)
        with pytest.raises(LimitExceeded):
            rt.execute(src, "=x")
        rt.reset_budget()
        assert rt.execute("return 6 * 7", "=y") == (42,)


# ------------------------------------------------------------------ limits are not Lua errors

def test_limit_errors_are_not_lua_errors():
    for cls in (InstructionLimitExceeded, MemoryLimitExceeded, TimeLimitExceeded):
        assert issubclass(cls, LimitExceeded) and not issubclass(cls, LuaError)
    rt = sandbox(instructions=2000)
    with pytest.raises(InstructionLimitExceeded) as info:
        try:
            rt.execute("pcall(function() while true do end end)", "=x")
        except LuaError:  # a host catching Lua errors must not catch the limit
            pytest.fail("limit surfaced as a LuaError")
    assert info.value.limit == 2000 and info.value.kind == "instructions"


def test_host_never_calls_tostring_of_an_error_object():
    rt = sandbox(instructions=10_000)
    with pytest.raises(LuaError) as info:
        rt.execute("error(setmetatable({}, {__tostring = function() while true do end end}))", "=x")
    t0 = time.monotonic()
    text = str(info.value) + repr(info.value) + str(info.value.traceback)
    assert time.monotonic() - t0 < 0.5 and text
    assert rt.stats.instructions < 100  # __tostring never ran


# ------------------------------------------------------------------ work bought per instruction

def test_index_chain_is_charged_per_hop():
    rt = sandbox()
    rt.execute("t = {} for i = 1, 1000 do t = setmetatable({}, {__index = t}) end", "=build")
    before = rt.stats.instructions
    rt.execute("return t.missing", "=lookup")
    assert rt.stats.instructions - before >= 1000


def test_pathological_pattern_stops_fast():
    rt = sandbox(instructions=200_000)
    t0 = time.monotonic()
    with pytest.raises(InstructionLimitExceeded):
        rt.execute('return string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40))', "=p")
    assert time.monotonic() - t0 < 2.0


@pytest.mark.parametrize("src", [
    "while true do end",
    "local function f(n) return f(n + 1) end f(1)",
    "local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do co() end",
    "local t = setmetatable({}, {__index = function(t, k) return k end}) while true do local _ = t.x end",
    "while true do string.find(string.rep('a', 200), '.-.-b') end",
], ids=["while", "tailcall", "resume", "index_fn", "pattern"])
def test_one_second_of_budget_lasts_about_one_second(src):
    """An instruction limit tuned to ~1 s of plain looping bounds every other loop form too."""
    rt = sandbox(instructions=300_000)
    t0 = time.monotonic()
    with pytest.raises(InstructionLimitExceeded):
        rt.execute(src, "=x")
    assert time.monotonic() - t0 < 3.0


def test_stop_point_is_deterministic_across_runs_and_limits():
    src = "local x = 0 while true do x = x + 1 if x % 7 == 0 then x = x + 0 end end"
    stops = set()
    for _ in range(3):
        rt = sandbox(instructions=12_345)
        with pytest.raises(InstructionLimitExceeded):
            rt.execute(src, "=d")
        stops.add(rt.stats.instructions)
    assert len(stops) == 1 and stops.pop() <= 12_345


# ------------------------------------------------------------------ live-memory accounting

CHURN = "for i = 1, 30000 do local s = 'item' .. i end return collectgarbage('count')"
KEEP = "local keep = {} for i = 1, 30000 do keep[#keep + 1] = 'item' .. i end return #keep"


def test_churning_short_strings_runs_forever_under_a_small_limit():
    rt = sandbox(memory=96 * 1024)
    (kib,) = rt.execute(CHURN, "=churn")
    assert kib * 1024 <= 96 * 1024
    assert rt.stats.memory_peak <= 96 * 1024 + 16 * 1024


def test_keeping_the_same_strings_hits_the_limit():
    rt = sandbox(memory=96 * 1024)
    with pytest.raises(MemoryLimitExceeded):
        rt.execute(KEEP, "=keep")


def test_memory_figures_are_identical_across_runs():
    src = ("local t = {} for i = 1, 3000 do t[i] = {tostring(i), i * 2} end "
           "local s = {} for i = 1, 200 do s[#s + 1] = string.rep('x', i) end return #t")
    figures = set()
    for _ in range(2):
        rt = sandbox(memory=8 * 2**20)
        rt.execute(src, "=m")
        st = rt.stats
        figures.add((st.instructions, st.memory, st.memory_peak))
    assert len(figures) == 1


def test_string_rep_of_a_gigabyte_allocates_nothing():
    rt = sandbox(memory=2**20)
    reset_peak_rss()
    before = peak_rss()
    with pytest.raises(MemoryLimitExceeded):
        rt.execute("return string.rep('x', 2^30)", "=r")
    assert peak_rss() - before < 32 * 2**20


def test_memory_peak_never_exceeds_the_limit():
    rt = sandbox(memory=2**20)
    with pytest.raises(MemoryLimitExceeded):
        rt.execute("local t, i = {}, 0 while true do i = i + 1 t[i] = i end", "=g")
    assert rt.stats.memory_peak <= 2**20


def test_suspended_coroutines_are_charged_what_they_use():
    """A suspended coroutine is an OS thread (~25 KB resident): charged 32 KiB, so 1 MiB of
    memory limit stops a script hoarding them before resident memory grows by much."""
    rt = sandbox(memory=2**20, instructions=10**6)
    reset_peak_rss()
    before = peak_rss()
    try:
        with pytest.raises(MemoryLimitExceeded):
            rt.execute("local t = {} for i = 1, 400 do local co = coroutine.create(function() "
                       "coroutine.yield() end) coroutine.resume(co) t[i] = co end return #t", "=c")
        assert peak_rss() - before < 4 * 2**20
    finally:
        rt.close()


def test_nested_resume_is_a_catchable_c_stack_overflow():
    rt = sandbox(memory=16 * 2**20, instructions=10**6)
    try:
        ok, msg = rt.execute("local function nest(n) return coroutine.wrap(function() return nest(n + 1) end)() end "
                             "return pcall(nest, 1)", "=n")
        assert ok is False and b"C stack overflow" in msg
    finally:
        rt.close()


# ------------------------------------------------------------------ the luavm command

def run_cli(tmp_path: Path, src: str, *opts: str) -> subprocess.CompletedProcess:
    script = tmp_path / "hostile.lua"
    script.write_text(src)
    return subprocess.run([sys.executable, "-m", "luavm", "--sandbox", "--stats", *opts, str(script)],
                          capture_output=True, timeout=30, cwd=ROOT)


@pytest.mark.parametrize("opts, src, message", [
    (("--max-instructions", "1000"), "while true do end", "luavm: instruction limit of 1000 exceeded"),
    (("--max-memory", "64KiB"), "local s = 'x' while true do s = s .. s end",
     "luavm: memory limit of 65536 bytes exceeded"),
    (("--timeout", "0.3"), "while true do end", "luavm: time limit of 0.3 s exceeded"),
], ids=["instructions", "memory", "time"])
def test_cli_exits_3_with_message_and_stats(tmp_path, opts, src, message):
    t0 = time.monotonic()
    p = run_cli(tmp_path, "pcall(function() " + src + " end) print('escaped')", *opts)
    assert time.monotonic() - t0 < 10
    assert p.returncode == 3
    assert p.stdout == b""
    lines = p.stderr.decode().splitlines()
    assert lines[0] == message
    stats = json.loads(lines[-1])
    assert set(stats) == {"instructions", "memory", "memory_peak", "seconds"}
    if opts[0] == "--max-instructions":
        assert stats["instructions"] <= 1000
    if opts[0] == "--timeout":
        assert stats["seconds"] < 0.3 + 0.5


def test_cli_sandbox_has_no_io_or_os(tmp_path):
    p = run_cli(tmp_path, "print(io, os, debug, package, require, dofile, loadfile, string.dump)")
    assert p.returncode == 0
    assert p.stdout == b"nil\tnil\tnil\tnil\tnil\tnil\tnil\tnil\n"


def test_sandbox_opens_exactly_its_allow_list():
    from luavm import LuaRuntime
    from luavm.lib import REGISTRY
    from luavm.sandbox import SANDBOX_LIBRARIES

    names = {name for name, *_ in REGISTRY}
    assert SANDBOX_LIBRARIES < names  # the allow-list names libraries that exist
    sandboxed, standalone = LuaRuntime(sandbox=True).globals, LuaRuntime().globals
    assert {n for n in names if sandboxed.get(n.encode()) is not None} == SANDBOX_LIBRARIES
    assert {n for n in names if standalone.get(n.encode()) is not None} == names
