"""Tests for luavm.lib.mathlib: subtypes, C-like special values, errors, and the xoshiro256**
generator, checked differentially against lua5.4 (skipped when it is not installed)."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from luavm.errors import LuaError
from luavm.lib.mathlib import open_math
from luavm.luanumbers import DEFAULT_NAN
from test_tablelib import FakeRT, lib_funcs, lua_error, needs_lua, run_lua

M = lib_funcs(open_math)
MAXI, MINI = 2**63 - 1, -2**63
INF = float("inf")


def ser(v: Any) -> str:
    """A value with its subtype, floats to 17 digits and NaN with its sign, like LUA_SER."""
    if type(v) is int:
        return f"i{v}"
    if type(v) is float:
        if v != v:
            return "f-nan" if math.copysign(1.0, v) < 0 else "fnan"
        if v in (INF, -INF):
            return "finf" if v > 0 else "f-inf"
        return "f" + "%.17g" % v
    if v is None:
        return "nil"
    if type(v) is bytes:
        return "s" + v.decode("latin-1")
    return str(v).lower()


LUA_SER = r"""
local function ser(v)
  local mt = math.type(v)
  if mt == "integer" then return "i" .. string.format("%d", v) end
  if mt == "float" then
    if v ~= v or v == 1/0 or v == -1/0 then return "f" .. tostring(v) end
    return "f" .. string.format("%.17g", v)
  end
  if type(v) == "string" then return "s" .. v end
  return tostring(v)
end
local function run(f, ...)
  local r = table.pack(pcall(f, ...))
  if r[1] then
    local o = {}
    for i = 2, r.n do o[#o + 1] = ser(r[i]) end
    print("OK " .. table.concat(o, " "))
  else
    print("ERR " .. (tostring(r[2]):gsub("'math%.", "'")))
  end
end
"""


def lua_lit(v: Any) -> str:
    if type(v) is int:
        return "math.mininteger" if v == MINI else str(v)
    if type(v) is float:
        if v != v:
            return "(0/0)" if math.copysign(1.0, v) < 0 else "(-(0/0))"
        if v in (INF, -INF):
            return "(1/0)" if v > 0 else "(-1/0)"
        return "(%r)" % v if ("." in repr(v) or "e" in repr(v)) else "(%r.0)" % v
    if type(v) is bytes:
        return '"' + v.decode("latin-1") + '"'
    if v is None:
        return "nil"
    return str(v).lower()


def py_run(fname: str, args: tuple) -> str:
    try:
        r = M[fname](*args)
    except LuaError as e:
        return "ERR " + e.value.decode("latin-1")
    return "OK " + " ".join(ser(v) for v in r)


NAN = DEFAULT_NAN
PNAN = -DEFAULT_NAN
SPECIALS = [0, 1, -1, 7, -7, MAXI, MINI, 0.0, -0.0, 0.5, -0.5, 2.5, -3.7, 1e308, -1e308, 2.0**63,
            -2.0**63, 2.0**70, INF, -INF, NAN, PNAN, b"10", b"3.5", b"x"]
CASES: list[tuple[str, tuple]] = []
for _f in ("abs", "ceil", "floor", "sqrt", "exp", "sin", "cos", "tan", "asin", "acos", "atan", "modf",
           "tointeger", "type", "log", "deg", "rad", "cosh", "sinh", "tanh", "log10", "frexp"):
    for _x in SPECIALS:
        CASES.append((_f, (_x,)))
for _f in ("fmod", "log", "atan", "max", "min", "ult", "pow"):
    for _x in SPECIALS[:22:3]:
        for _y in SPECIALS[:22:2]:
            CASES.append((_f, (_x, _y)))
CASES += [("fmod", (1, 0)), ("fmod", (1,)), ("fmod", (1, b"x")), ("fmod", (b"7", 3)), ("fmod", (MINI, -1)),
          ("fmod", (-6, 4)), ("fmod", (6, -4)), ("max", ()), ("min", ()), ("max", (1, 2.0, -3)),
          ("max", (b"10", b"9")), ("min", (b"a", 1)), ("max", (1, None)), ("floor", ()),
          ("tointeger", ()), ("type", ()), ("ult", (1, 2.5)), ("ldexp", (1, 3)), ("ldexp", (1, 1.5)),
          ("ldexp", (1.0, 5000)), ("log", (8, 2)), ("log", (100, 10)), ("log", (27, 3)),
          ("log", (0, 2)), ("log", (-1, 10))]


@needs_lua
def test_functions_differential() -> None:
    lines = [LUA_SER]
    for fname, args in CASES:
        lines.append(f"run(math.{fname}{', ' if args else ''}{', '.join(lua_lit(a) for a in args)})")
    # PUC names the shared atan/atan2 function by whichever key its traversal meets first
    out = run_lua("\n".join(lines)).replace("'atan2'", "'atan'").splitlines()
    expected = [py_run(fname, args) for fname, args in CASES]
    diffs = [(c, o, e) for c, o, e in zip(CASES, out, expected) if o != e]
    assert not diffs, diffs[:10]
    assert len(out) == len(expected)


def test_subtypes() -> None:
    assert M["floor"](3.7) == (3,) and type(M["floor"](3.7)[0]) is int
    assert type(M["floor"](2.0**70)[0]) is float
    assert M["abs"](MINI) == (MINI,)
    assert M["max"](1.0, 1) == (1.0,) and type(M["max"](1.0, 1)[0]) is float
    assert M["fmod"](6, 4) == (2,) and M["fmod"](6.0, 4) == (2.0,)
    assert M["modf"](3) == (3, 0.0)
    assert M["modf"](INF) == (INF, 0.0)
    assert M["tointeger"](b"8") == (8,)
    assert M["type"](1) == (b"integer",) and M["type"](1.0) == (b"float",) and M["type"](b"1") == (None,)
    lib = open_math(FakeRT())
    assert lib[b"maxinteger"] == MAXI and lib[b"mininteger"] == MINI and lib[b"huge"] == INF
    assert lib[b"pi"] == math.pi


def test_errors() -> None:
    assert lua_error(M["fmod"], 1, 0) == "bad argument #2 to 'fmod' (zero)"
    assert lua_error(M["max"]) == "bad argument #1 to 'max' (value expected)"
    assert lua_error(M["type"]) == "bad argument #1 to 'type' (value expected)"
    assert lua_error(M["random"], 2, 1) == "bad argument #1 to 'random' (interval is empty)"
    assert lua_error(M["random"], 1, 2, 3) == "wrong number of arguments"
    assert lua_error(M["random"], 0.5) == "bad argument #1 to 'random' (number has no integer representation)"
    assert lua_error(M["randomseed"], 1.5) == "bad argument #1 to 'randomseed' (number has no integer representation)"
    assert lua_error(M["floor"], b"x") == "bad argument #1 to 'floor' (number expected, got string)"


def test_random_ranges() -> None:
    M["randomseed"](123)
    for _ in range(1000):
        r = M["random"]()[0]
        assert 0.0 <= r < 1.0
        assert 1 <= M["random"](6)[0] <= 6
        assert -3 <= M["random"](-3, 3)[0] <= 3
    assert M["random"](3, 3) == (3,)
    assert type(M["random"](MINI, MAXI)[0]) is int
    assert M["randomseed"](42) == (42, 0)
    seeded = M["randomseed"]()
    assert len(seeded) == 2


@needs_lua
def test_random_differential() -> None:
    rng = random.Random(5)
    seeds = [0, 1, 42, -1, MAXI, MINI, 123456789] + [rng.randrange(MINI, MAXI) for _ in range(5)]
    ranges = [(1, 100), (1, 6), (0, 1), (-5, 5), (MINI, MAXI), (3, 1000000007), (0, 2**40 + 3), (1, 1)]
    lines = [LUA_SER]
    expected = []
    for seed in seeds:
        lines.append(f"print(math.randomseed({lua_lit(seed)}, 7))")
        expected.append("\t".join(str(v) for v in M["randomseed"](seed, 7)))
        calls: list[tuple] = [(), (0,), (10,)] + ranges
        for args in calls * 3:
            lines.append(f"run(math.random{', ' if args else ''}{', '.join(lua_lit(a) for a in args)})")
            expected.append(py_run("random", args))
    lines.append("math.randomseed(42); print(math.random(1, 100), math.random())")
    M["randomseed"](42)
    a, b = M["random"](1, 100)[0], M["random"]()[0]
    from luavm.luanumbers import number2str

    expected.append(f"{a}\t{number2str(b).decode()}")
    assert run_lua("\n".join(lines)).splitlines() == expected


def test_random_uses_own_state_per_runtime() -> None:
    a = open_math(FakeRT())
    b = open_math(FakeRT())
    a[b"randomseed"](9)
    b[b"randomseed"](9)
    assert [a[b"random"](100)[0] for _ in range(20)] == [b[b"random"](100)[0] for _ in range(20)]


def test_minmax_metamethod_and_errors() -> None:
    with pytest.raises(LuaError) as ei:
        M["max"](1, b"x")
    assert ei.value.value == b"attempt to compare number with string"
