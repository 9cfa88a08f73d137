"""Exact instruction counting: pinned counts, determinism, exact limits."""

from __future__ import annotations

import pytest

from luavm import InstructionLimitExceeded, Limits, LuaRuntime


def count(src: str) -> int:
    rt = LuaRuntime()
    rt.execute(src, "=count")
    return rt.stats.instructions


def test_loop_cost_is_linear():
    c = [count(f"local s = 0 for i = 1, {n} do s = s + i end") for n in (0, 10, 100)]
    a = (c[2] - c[1]) / 90
    assert a == int(a) and a > 0
    assert c[1] == c[0] + 10 * a


def test_counts_are_deterministic():
    src = "local t = {} for i = 1, 200 do t[#t + 1] = tostring(i) end return table.concat(t)"
    assert count(src) == count(src)


def test_limit_of_exact_need_completes_and_one_less_stops():
    src = "local s = 0 for i = 1, 50 do s = s + i end return s"
    need = count(src)
    rt = LuaRuntime(limits=Limits(instructions=need))
    assert rt.execute(src, "=x") == (1275,)
    rt = LuaRuntime(limits=Limits(instructions=need - 1))
    with pytest.raises(InstructionLimitExceeded):
        rt.execute(src, "=x")
    assert rt.stats.instructions <= need - 1
