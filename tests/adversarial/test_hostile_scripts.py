"""Every hostile script in tests/adversarial/scripts/ ends exactly as its header says.

The expectations and the checks made on every run (bounds, resident memory, threads, a usable
host afterwards) are described in harness.py. Limit-stopped scripts are also run a second time
on a fresh runtime: the stop must happen at the same instruction count and memory figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import all_specs, check_spec, run_script  # noqa: E402

SPECS = all_specs()


def _param(spec):
    marks = [pytest.mark.xfail(strict=True, reason=spec.xfail)] if spec.xfail else []
    return pytest.param(spec, id=spec.path.stem, marks=marks)


def test_at_least_100_hostile_scripts():
    assert len(SPECS) >= 100


@pytest.mark.parametrize("spec", [_param(s) for s in SPECS])
def test_hostile_script(spec):
    check_spec(spec)


DETERMINISTIC = [s for s in SPECS if s.expect in ("instructions", "memory") and not s.xfail]


def _det_param(spec):
    reason = spec.extra.get("xfail-determinism")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(spec, id=spec.path.stem, marks=marks)


@pytest.mark.parametrize("spec", [_det_param(s) for s in DETERMINISTIC])
def test_stops_at_the_same_point_twice(spec):
    src = spec.path.read_text()
    a = run_script(src, spec.limits)
    b = run_script(src, spec.limits)
    a.runtime.close()
    b.runtime.close()
    assert a.kind == b.kind == spec.expect
    assert (a.instructions, a.memory, a.memory_peak) == (b.instructions, b.memory, b.memory_peak)
