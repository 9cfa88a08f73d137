"""Shared harness of the fuzz tests: run any source text under luavm with small limits and let
only luavm's own errors out (docs/ARCHITECTURE.md, "No Python error escapes").

``run_source`` returns normally when the program ended, raised a Lua error (syntax errors
included) or hit a limit; any other exception propagates and fails the test, and hypothesis
then shrinks the program to a small reproducer.

CI cost is bounded: every test uses ``fuzz_settings(n)``, a fixed number of examples drawn
deterministically (``derandomize``), about a minute for the whole folder. Locally,
``LUAVM_FUZZ_SCALE=20`` runs 20 times as many examples, and ``LUAVM_FUZZ_SEED=random`` draws
new ones on each run::

    LUAVM_FUZZ_SCALE=20 LUAVM_FUZZ_SEED=random .venv/bin/pytest tests/fuzz
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from hypothesis import HealthCheck, settings

from luavm import LimitExceeded, Limits, LuaError, LuaRuntime

ROOT = Path(__file__).resolve().parents[2]
# the official suite: $LUA_TESTS, or ../shared next to the checkout (or next to its worktree
# folder), else the copy the repository carries (tests/data/lua-5.4.4-tests)
SUITE = next((p for p in (Path(os.environ.get("LUA_TESTS", "/nonexistent")),
                          ROOT.parent / "shared" / "lua-5.4.4-tests",
                          ROOT.parent.parent / "shared" / "lua-5.4.4-tests") if p.is_dir()),
             ROOT / "tests" / "data" / "lua-5.4.4-tests")
LIMITS = Limits(instructions=200_000, memory=8 * 2**20, seconds=5.0)
ALLOWED = (LuaError, LimitExceeded)  # LuaSyntaxError is a LuaError

# Functions a fuzzed program must not reach: they would leave the test's sandbox (the shell,
# the file system outside the scratch folder, the process).
UNSAFE = {b"os": (b"execute", b"exit", b"remove", b"rename", b"tmpname"),
          b"io": (b"popen",)}


def examples(ci: int) -> int:
    """``ci`` examples in CI, times LUAVM_FUZZ_SCALE when set."""
    return max(1, round(ci * float(os.environ.get("LUAVM_FUZZ_SCALE", "1"))))


def fuzz_settings(ci_examples: int) -> settings:
    return settings(
        max_examples=examples(ci_examples),
        derandomize=os.environ.get("LUAVM_FUZZ_SEED") != "random",
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.large_base_example],
    )


def new_runtime() -> LuaRuntime:
    rt = LuaRuntime(limits=LIMITS, stdout=io.BytesIO(), stdin=io.BytesIO(b"line one\n42 3.5\n"),
                    stderr=io.BytesIO())
    for lib, names in UNSAFE.items():
        for name in names:
            rt.globals[lib].pop(name, None)
    return rt


def run_source(source: bytes, rt: LuaRuntime | None = None) -> None:
    """Load and run ``source``; only LuaError and LimitExceeded may come out."""
    own = rt is None
    rt = rt or new_runtime()
    try:
        rt.execute(source, "=fuzz")
    except ALLOWED:
        pass
    finally:
        if own:
            rt.close()


def suite_files() -> dict[str, bytes]:
    """The official suite's Lua files (the fragments fuzzed programs are cut from)."""
    if not SUITE.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(SUITE.glob("*.lua"))}
