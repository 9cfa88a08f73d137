"""Exact-count tests: conformance/limits/*.lua use pinned instructions and peak memory.

Each program states ``-- instructions: N`` and ``-- memory_peak: M``. It runs twice, each time
in a fresh sandboxed runtime without limits; both runs must agree and equal the pinned numbers
(docs/METERING.md: same program, same input -> same figures on every run and machine). Its
stdout is checked by tests/test_conformance.py like any conformance case.

A change to the cost model changes these numbers on purpose: re-pin with
``python tests/test_limits_pinned.py --repin`` and say why in the commit.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from luavm import LuaRuntime

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "conformance" / "limits").glob("*.lua"))
PIN = re.compile(r"^-- (instructions|memory_peak): (\d+)$", re.MULTILINE)


def measure(path: Path) -> tuple[int, int, bytes]:
    out = io.BytesIO()
    rt = LuaRuntime(sandbox=True, stdout=out)
    try:
        rt.execute(path.read_bytes(), "@" + path.relative_to(ROOT).as_posix())
        st = rt.stats
        return st.instructions, st.memory_peak, out.getvalue()
    finally:
        rt.close()


def pinned(path: Path) -> dict[str, int]:
    return {k: int(v) for k, v in PIN.findall(path.read_text())}


def test_there_are_pinned_programs():
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_pinned_counts(path):
    pins = pinned(path)
    assert set(pins) == {"instructions", "memory_peak"}, "pin both figures"
    first = measure(path)
    second = measure(path)
    assert first == second, "two runs of the same program disagree"
    assert {"instructions": first[0], "memory_peak": first[1]} == pins


def repin() -> None:
    for path in CASES:
        n, peak, _ = measure(path)
        assert measure(path)[:2] == (n, peak), path
        text = re.sub(r"^-- instructions: .*$", f"-- instructions: {n}", path.read_text(), count=1, flags=re.M)
        text = re.sub(r"^-- memory_peak: .*$", f"-- memory_peak: {peak}", text, count=1, flags=re.M)
        path.write_text(text)
        print(f"{path.name}: instructions {n}, memory_peak {peak}")


if __name__ == "__main__" and "--repin" in sys.argv:
    repin()
