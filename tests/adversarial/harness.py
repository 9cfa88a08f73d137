"""Shared harness for the adversarial suite: run a hostile script and check the host survived.

A hostile script in tests/adversarial/scripts/ states what must happen in header comments:

    -- expect: instructions | memory | time | error | return
    -- limits: instructions=50000 memory=1MiB seconds=3     (overrides; 'none' = unlimited)
    -- message: <exact str(LuaError)>  or  match:<regex>     (expect: error)
    -- result: <results joined by one space>                 (expect: return)
    -- then: <Lua chunk run afterwards in the same runtime>
    -- then-result: <its results joined by one space>
    -- xfail: <one-line bug description>                      (a known luavm bug)
    -- xfail-determinism: <bug>          (the second-run comparison is a known failure)

Every script runs under a sandboxed runtime; the harness also bounds its wall time, its peak
resident memory (so a memory limit must refuse before real memory is used), and the threads it
leaves behind, and checks that the same runtime and a fresh one still work afterwards.
"""

from __future__ import annotations

import io
import re
import resource
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from luavm import (
    InstructionLimitExceeded, LimitExceeded, Limits, LuaError, LuaRuntime, MemoryLimitExceeded,
    TimeLimitExceeded,
)
from luavm import parse_size

SCRIPTS = Path(__file__).parent / "scripts"
CHUNK = "=hostile"
DEFAULT_LIMITS = {"instructions": 50_000, "memory": 2**20, "seconds": 3.0}
# A script may use this much more resident memory than before it ran. Limits in this suite are
# at most a few MiB of accounted memory, so a bomb that really allocates shows up far above it.
RSS_SLACK = 64 * 2**20
# How far past its deadline a time-limited script may run.
TIME_SLACK = 0.5
# The library tables of a fresh runtime (~6 KB) are not charged at creation but are counted by
# the first collection, so figures may pass the limit by that much (test_limit_api.py pins it).
BASELINE_SLACK = 16 * 1024
KINDS = {"instructions": InstructionLimitExceeded, "memory": MemoryLimitExceeded,
         "time": TimeLimitExceeded}


@dataclass
class Spec:
    path: Path
    expect: str
    limits: Limits
    message: str | None = None
    result: str | None = None
    then: str | None = None
    then_result: str | None = None
    xfail: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def parse_spec(path: Path) -> Spec:
    headers: dict[str, str] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^-- ([a-z-]+): (.*)$", line)
        if m and m.group(1) not in headers:
            headers[m.group(1)] = m.group(2)
    lim: dict[str, Any] = dict(DEFAULT_LIMITS)
    for item in headers.get("limits", "").split():
        k, _, v = item.partition("=")
        if v == "none":
            lim[k] = None
        elif k == "memory":
            lim[k] = parse_size(v)
        elif k == "seconds":
            lim[k] = float(v)
        else:
            lim[k] = int(v)
    return Spec(path, headers["expect"], Limits(**lim), headers.get("message"), headers.get("result"),
                headers.get("then"), headers.get("then-result"), headers.get("xfail"), headers)


def all_specs() -> list[Spec]:
    return [parse_spec(p) for p in sorted(SCRIPTS.glob("*.lua"))]


def show(values: tuple) -> str:
    """Results as the script's `-- result:` line spells them (Lua tostring, joined by a space)."""
    out = []
    for v in values:
        if isinstance(v, bytes):
            out.append(v.decode("latin-1"))
        elif v is None:
            out.append("nil")
        elif v is True or v is False:
            out.append(str(v).lower())
        elif isinstance(v, float) and v == int(v) and abs(v) < 2**53:
            out.append(f"{v:.1f}")
        else:
            out.append(str(v))
    return " ".join(out)


def reset_peak_rss() -> bool:
    """Reset the kernel's resident high-water mark (Linux >= 4.0) so each script gets its own."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class Outcome:
    kind: str  # instructions, memory, time, error, return, python
    exc: BaseException | None
    values: tuple
    instructions: int
    memory: int
    memory_peak: int
    elapsed: float
    rss_growth: int
    runtime: LuaRuntime


def run_script(source: str, limits: Limits) -> Outcome:
    rt = LuaRuntime(sandbox=True, limits=limits, stdout=io.BytesIO(), stderr=io.BytesIO())
    reset_peak_rss()
    before = peak_rss()
    t0 = time.monotonic()
    exc: BaseException | None = None
    values: tuple = ()
    try:
        values = rt.execute(source, CHUNK)
        kind = "return"
    except LimitExceeded as e:
        exc, kind = e, e.kind
    except LuaError as e:
        exc, kind = e, "error"
    except BaseException as e:  # RecursionError, MemoryError, TypeError...: the host was harmed
        exc, kind = e, "python"
    elapsed = time.monotonic() - t0
    s = rt.stats
    return Outcome(kind, exc, values, s.instructions, s.memory, s.memory_peak, elapsed,
                   peak_rss() - before, rt)


def check_host_usable(rt: LuaRuntime) -> None:
    """The runtime that hit the limit works again with a fresh budget, and so does a new one."""
    rt.reset_budget()
    # allocation-free: a memory-limited script may have left its globals full
    assert rt.execute("local n = 0 for i = 1, 10 do n = n + i end return n, 'ok'", "=after") == (55, b"ok")
    fresh = LuaRuntime(sandbox=True, limits=Limits(instructions=1000))
    assert fresh.execute("return string.rep('a', 3), 2 * 3", "=fresh") == (b"aaa", 6)
    fresh.close()


def check_spec(spec: Spec) -> None:
    LuaRuntime(sandbox=True).execute("return 1", "=warmup")  # the shared Lua worker thread exists
    threads_before = threading.active_count()
    source = spec.path.read_text()
    out = run_script(source, spec.limits)
    rt = out.runtime
    try:
        detail = f"{spec.path.name}: got {out.kind} {out.exc!r} values={show(out.values)[:200]!r}"
        assert out.kind != "python", detail
        assert out.kind == spec.expect, detail
        lim = spec.limits
        if out.kind in KINDS:
            assert type(out.exc) is KINDS[out.kind]
        if out.kind == "instructions":
            assert out.exc.limit == lim.instructions
            assert str(out.exc) == f"instruction limit of {lim.instructions} exceeded"
            assert out.instructions <= lim.instructions
        if out.kind == "memory":
            assert str(out.exc) == f"memory limit of {lim.memory} bytes exceeded"
            assert out.memory_peak <= lim.memory + BASELINE_SLACK
        if out.kind == "time":
            assert str(out.exc) == f"time limit of {lim.seconds:g} s exceeded"
            # the budget window opens when the runtime is created, slightly before execute()
            assert out.elapsed <= lim.seconds + TIME_SLACK, out.elapsed
        if lim.memory is not None:
            assert out.memory_peak <= lim.memory + BASELINE_SLACK
        if out.kind == "error":
            msg = str(out.exc)
            if spec.message is not None:
                if spec.message.startswith("match:"):
                    assert re.search(spec.message[6:], msg), msg
                else:
                    assert msg == spec.message
        if out.kind == "return" and spec.result is not None:
            assert show(out.values) == spec.result
        if lim.seconds is not None:
            assert out.elapsed <= lim.seconds + TIME_SLACK
        if not spec.path.name.startswith("stack_"):  # deep Python stacks are real but bounded
            assert out.rss_growth < RSS_SLACK, f"resident memory grew by {out.rss_growth} bytes"
        if spec.then is not None:
            rt.reset_budget()
            assert show(rt.execute(spec.then, "=then")) == spec.then_result
        check_host_usable(rt)
    finally:
        rt.close()
    deadline = time.monotonic() + 2.0  # closed coroutine threads take a moment to exit
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() <= threads_before, "coroutine threads left running"
