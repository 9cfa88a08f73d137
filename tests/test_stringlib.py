"""Tests for luavm.lib.stringlib: byte functions, find/match/gmatch/gsub, metering, and the
differential harness (shared with the other string tests) that runs cases through lua5.4."""

from __future__ import annotations

import math
import random
import shutil
import struct
import subprocess
from typing import Any, Callable

import pytest

from luavm.errors import LuaError
from luavm.addresses import Addresses
from luavm.lib.stringlib import PART_SIZE, open_string
from luavm.luanumbers import number2str
from luavm.table import LuaTable

LUA = shutil.which("lua5.4")
needs_lua = pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")


class MeterExceeded(Exception):
    """Stands in for the runtime's LimitExceeded in these tests."""


class FakeRT:
    """The slice of LuaRuntime the string library uses, counting charge() and alloc()."""

    def __init__(self, limit: int | None = None, mem_limit: int | None = None):
        self.steps = 0
        self.mem = 0
        self.allocs: list[int] = []
        self.limit = limit
        self.mem_limit = mem_limit

    def call(self, f: Any, *args: Any) -> tuple:
        return tuple(f(*args))

    def charge(self, n: int) -> None:
        assert n >= 0
        self.steps += n
        if self.limit is not None and self.steps > self.limit:
            raise MeterExceeded(self.steps)

    def alloc(self, n: int) -> None:
        assert n >= 0
        self.allocs.append(n)
        self.mem += n
        if self.mem_limit is not None and self.mem > self.mem_limit:
            raise MeterExceeded(self.mem)

    def tostring(self, v: Any) -> bytes:
        if type(v) is bytes:
            return v
        if v is None:
            return b"nil"
        if v is True:
            return b"true"
        if v is False:
            return b"false"
        if type(v) in (int, float):
            return number2str(v)
        return b"table: 0x55"

    def index(self, t: Any, k: Any) -> Any:
        return t.get(k)

    def address(self, v: Any) -> str:
        if not hasattr(self, "_addresses"):
            self._addresses = Addresses()
        return "0x%x" % self._addresses.of(v)


def strlib(rt: FakeRT | None = None) -> dict[str, Callable]:
    return {k.decode(): v for k, v in open_string(rt or FakeRT()).items()}


def lua_error(f: Callable, *args: Any) -> str:
    with pytest.raises(LuaError) as ei:
        f(*args)
    return ei.value.value.decode("latin-1")


# ------------------------------------------------------------------ differential harness

LUA_PRELUDE = r"""
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function ser(v)
  local mt = math.type(v)
  if mt == "integer" then return "i" .. string.format("%d", v) end
  if mt == "float" then return "f" .. hex(string.pack("<d", v)) end
  if type(v) == "string" then return "s" .. hex(v) end
  return tostring(v)
end
local function run(f, ...)
  local r = table.pack(pcall(f, ...))
  if r[1] then
    local o = {}
    for i = 2, r.n do o[#o + 1] = ser(r[i]) end
    io.write("OK ", table.concat(o, " "), "\n")
  else
    local m = tostring(r[2]):gsub("^[^:]*:%d+: ", ""):gsub("'string%.", "'")
    io.write("ERR ", hex(m), "\n")
  end
end
local function GM(s, p, init)
  local out, it = {}, string.gmatch(s, p, init)
  for _ = 1, 200 do
    local r = table.pack(it())
    if r[1] == nil then break end
    for i = 1, r.n do out[#out + 1] = r[i] end
    out[#out + 1] = "|"
  end
  return table.unpack(out)
end
local function JOIN(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return table.concat(t, ",")
end
local function GSUBF(s, p, n) return string.gsub(s, p, JOIN, n) end
local function GSUBT(s, p, n) return string.gsub(s, p, {a = "<A>", b = 7, ["1"] = false, ab = 1.5}, n) end
local function PACKRT(fmt, ...)
  local ok, s = pcall(string.pack, fmt, ...)
  if not ok then error(s, 0) end
  return s, string.unpack(fmt, s)
end
"""


def lua_literal(v: Any) -> str:
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is int:
        return "math.mininteger" if v == -(1 << 63) else str(v)
    if type(v) is float:
        if v != v:
            return "(0/0)" if math.copysign(1.0, v) < 0 else "(-(0/0))"
        if v == math.inf:
            return "(1/0)"
        if v == -math.inf:
            return "(-1/0)"
        return "(" + v.hex() + ")"
    if type(v) is bytes:
        return '"' + "".join("\\%03d" % c for c in v) + '"'
    raise TypeError(v)


def ser(v: Any) -> str:
    if type(v) is int:
        return "i%d" % v
    if type(v) is float:
        return "f" + struct.pack("<d", v).hex()
    if type(v) is bytes:
        return "s" + v.hex()
    if v is None:
        return "nil"
    if type(v) is bool:
        return "true" if v else "false"
    return "?"


def _join(*args: Any) -> tuple:
    return (b",".join(a if type(a) is bytes else number2str(a) for a in args),)


def py_specials(S: dict[str, Callable]) -> dict[str, Callable]:
    """Python twins of the prelude's helper functions, built on our library."""
    gsub_table = LuaTable()
    gsub_table.update({b"a": b"<A>", b"b": 7, b"1": False, b"ab": 1.5})

    def GM(s: Any, p: Any, init: Any = None) -> tuple:
        out: list = []
        it = S["gmatch"](s, p, init)[0]
        for _ in range(200):
            r = it()
            if not r or r[0] is None:
                break
            out.extend(r)
            out.append(b"|")
        return tuple(out)

    def PACKRT(fmt: Any, *args: Any) -> tuple:
        s = S["pack"](fmt, *args)[0]
        return (s,) + S["unpack"](fmt, s)

    return {
        "GM": GM,
        "GSUBF": lambda s, p, n=None: S["gsub"](s, p, _join, n),
        "GSUBT": lambda s, p, n=None: S["gsub"](s, p, gsub_table, n),
        "PACKRT": PACKRT,
    }


def py_result(f: Callable, args: tuple) -> str:
    try:
        res = f(*args)
    except LuaError as e:
        return "ERR " + e.value.hex()
    return "OK " + " ".join(ser(v) for v in res)


def differential(cases: list[tuple[str, tuple]]) -> list[tuple[str, tuple, str, str]]:
    """Run each (function name, args) in lua5.4 and in our library; return the mismatches.
    Names are string-library functions or the prelude's helpers (GM, GSUBF, GSUBT, PACKRT)."""
    lines = [LUA_PRELUDE]
    for fname, args in cases:
        target = fname if fname.isupper() else "string." + fname
        lines.append("run(%s%s)" % (target, "".join(", " + lua_literal(a) for a in args)))
    out = subprocess.run([LUA, "-"], input="\n".join(lines).encode(), capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    expected = out.stdout.decode().splitlines()
    assert len(expected) == len(cases)
    S = strlib()
    funcs = dict(S)
    funcs.update(py_specials(S))
    bad = []
    for (fname, args), exp in zip(cases, expected):
        got = py_result(funcs[fname], args)
        if got != exp:
            bad.append((fname, args, exp, got))
    return bad


def assert_no_mismatch(bad: list) -> None:
    def show(r: str) -> str:
        if r.startswith("ERR "):
            return "ERR " + bytes.fromhex(r[4:]).decode("latin-1")
        return r

    msg = "\n".join(f"{f}{a!r}: lua={show(e)} ours={show(g)}" for f, a, e, g in bad[:20])
    assert not bad, f"{len(bad)} mismatches:\n{msg}"


# ------------------------------------------------------------------ simple functions


def test_len_sub_byte_char_reverse_case() -> None:
    S = strlib()
    assert S["len"](b"abc") == (3,)
    assert S["len"](123) == (3,)
    assert S["sub"](b"hello", 2, 4) == (b"ell",)
    assert S["sub"](b"hello", -3) == (b"llo",)
    assert S["sub"](b"hello", 0) == (b"hello",)
    assert S["sub"](b"hello", 4, 2) == (b"",)
    assert S["sub"](b"hello", -100, 100) == (b"hello",)
    assert S["byte"](b"abc") == (97,)
    assert S["byte"](b"abc", 1, -1) == (97, 98, 99)
    assert S["byte"](b"abc", 10) == ()
    assert S["byte"](b"abc", -1) == (99,)
    assert S["char"](72, 105) == (b"Hi",)
    assert S["char"]() == (b"",)
    assert S["char"](65.0, b"66") == (b"AB",)
    assert S["reverse"](b"abc") == (b"cba",)
    assert S["upper"](b"a\xe9z") == (b"A\xe9Z",)
    assert S["lower"](b"A\xc9Z") == (b"a\xc9z",)
    assert S["rep"](b"ab", 3, b",") == (b"ab,ab,ab",)
    assert S["rep"](b"ab", 0) == (b"",)
    assert S["rep"](b"", 10**12) == (b"",)


def test_simple_errors() -> None:
    S = strlib()
    assert lua_error(S["char"], 256) == "bad argument #1 to 'char' (value out of range)"
    assert lua_error(S["char"], 1, True) == "bad argument #2 to 'char' (number expected, got boolean)"
    assert lua_error(S["sub"], b"x") == "bad argument #2 to 'sub' (number expected, got no value)"
    assert lua_error(S["sub"], b"x", 1.5) == "bad argument #2 to 'sub' (number has no integer representation)"
    assert lua_error(S["rep"], b"x", 2**31) == "resulting string too large"
    assert lua_error(S["rep"]) == "bad argument #1 to 'rep' (string expected, got no value)"
    assert lua_error(S["dump"], S["len"]) == "unable to dump given function"
    assert lua_error(S["dump"]) == "bad argument #1 to 'dump' (function expected, got no value)"
    assert lua_error(S["byte"], b"x" * 1_000_000, 1, -1) == "stack overflow (string slice too long)"
    assert lua_error(S["gsub"], b"x", b"x") == "bad argument #3 to 'gsub' (string/function/table expected, got no value)"


# ------------------------------------------------------------------ patterns through the library


def test_find_and_match() -> None:
    S = strlib()
    assert S["find"](b"hello world", b"o w") == (5, 7)
    assert S["find"](b"a+b", b"+", 1, True) == (2, 2)
    assert S["find"](b"abc", b"", 4) == (4, 3)
    assert S["find"](b"abc", b"", 5) == (None,)
    assert S["find"](b"abc", b"b", -1) == (None,)
    assert S["find"](b"hello", b"l+") == (3, 4)
    assert S["find"](b"hello", b"(l)(l)") == (3, 4, b"l", b"l")
    assert S["match"](b"  key = val  ", b"^%s*(%w+)%s*=%s*(%w+)") == (b"key", b"val")
    assert S["match"](b"hello", b"()ll()") == (3, 5)
    assert S["match"](b"hello", b"^ell") == (None,)
    assert S["match"](b"hello", b"ell", 2) == (b"ell",)
    assert S["find"](b"abc", b"x[") == (None,)  # the malformed part is never reached


def test_gmatch() -> None:
    S = strlib()
    it = S["gmatch"](b"a1b22c333", b"%d+")[0]
    assert [it() for _ in range(4)] == [(b"1",), (b"22",), (b"333",), ()]
    it = S["gmatch"](b"key=val, k2=v2", b"(%w+)=(%w+)")[0]
    assert it() == (b"key", b"val") and it() == (b"k2", b"v2") and it() == ()
    it = S["gmatch"](b"abc", b"")[0]  # empty matches at 1..4
    assert [it() for _ in range(5)] == [(b"",)] * 4 + [()]
    it = S["gmatch"](b"abc", b".", 2)[0]
    assert [it() for _ in range(3)] == [(b"b",), (b"c",), ()]
    it = S["gmatch"](b"^a^a", b"^a")[0]  # '^' is not an anchor in gmatch
    assert [it() for _ in range(3)] == [(b"^a",), (b"^a",), ()]


def test_gsub() -> None:
    S = strlib()
    assert S["gsub"](b"hello world", b"o", b"0") == (b"hell0 w0rld", 2)
    assert S["gsub"](b"hello world", b"o", b"0", 1) == (b"hell0 world", 1)
    assert S["gsub"](b"abc", b"", b"-") == (b"-a-b-c-", 4)
    assert S["gsub"](b"abc", b"b*", b"-") == (b"-a-c-", 3)
    assert S["gsub"](b"abc", b"^", b"x") == (b"xabc", 1)
    assert S["gsub"](b"hello world", b"(%w+)", b"<%1>") == (b"<hello> <world>", 2)
    assert S["gsub"](b"abc", b"%w", b"%0%0") == (b"aabbcc", 3)
    assert S["gsub"](b"abc", b"b", b"%%") == (b"a%c", 1)
    assert S["gsub"](b"abc", b"()b", b"%1") == (b"a2c", 1)
    assert S["gsub"](b"abc", b"b", 12) == (b"a12c", 1)
    t = LuaTable()
    t[b"a"] = b"A"
    t[b"c"] = 3
    assert S["gsub"](b"abc", b"%w", t) == (b"Ab3", 3)
    src = b"abc"
    r = S["gsub"](src, b"%w", lambda c: (None,))
    assert r == (b"abc", 3) and r[0] is src  # nothing changed: the original string
    assert S["gsub"](b"abc", b"%w", lambda c: (c.upper(),)) == (b"ABC", 3)
    assert S["gsub"](b"abc", b"%w", lambda c: (1.5,)) == (b"1.51.51.5", 3)
    assert lua_error(S["gsub"], b"abc", b"b", b"%2") == "invalid capture index %2"
    assert lua_error(S["gsub"], b"abc", b"b", b"%x") == "invalid use of '%' in replacement string"
    assert lua_error(S["gsub"], b"abc", b"b", b"%") == "invalid use of '%' in replacement string"
    assert lua_error(S["gsub"], b"abc", b"b", lambda c: (LuaTable(),)) == "invalid replacement value (a table)"
    assert lua_error(S["gsub"], b"abc", b"b", None, b"x") == "bad argument #4 to 'gsub' (number expected, got string)"
    assert S["gsub"](b"xyz", b"b", b"%x") == (b"xyz", 0)  # replacement errors only when used


# ------------------------------------------------------------------ metering


def test_rep_allocates_before_building() -> None:
    rt = FakeRT(mem_limit=10_000)
    S = strlib(rt)
    with pytest.raises(MeterExceeded):
        S["rep"](b"x", 10**9)  # would take a GB: refused before anything is built
    assert rt.allocs == [10**9]
    rt = FakeRT()
    S = strlib(rt)
    S["rep"](b"abcd", 1000, b"--")
    assert rt.allocs == [4 * 1000 + 2 * 999] and rt.steps == (4 * 1000 + 2 * 999) >> 4


def test_plain_byte_work_is_charged_per_16_bytes() -> None:
    rt = FakeRT()
    S = strlib(rt)
    s = b"x" * 160_000
    for f in ("upper", "lower", "reverse"):
        before = rt.steps
        S[f](s)
        assert rt.steps - before == 10_000
    before = rt.steps
    assert S["find"](s + b"y", b"y", 1, True) == (160_001, 160_001)
    assert rt.steps - before >= 10_000
    before = rt.steps
    S["sub"](s, 2, 1601)
    assert rt.steps - before == 100


def test_gsub_accounts_result_as_it_grows() -> None:
    rt = FakeRT()
    S = strlib(rt)
    res, n = S["gsub"](b"ab" * 10_000, b"b", b"xyz")
    assert n == 10_000 and len(res) == 40_000
    # the result, plus one pointer per piece of the parts list (10,000 copies, 10,000 "xyz")
    assert sum(rt.allocs) == 40_000 + PART_SIZE * 20_000
    assert len(rt.allocs) > 10  # announced while growing, not only at the end
    rt = FakeRT(mem_limit=100_000)
    S = strlib(rt)
    with pytest.raises(MeterExceeded):
        S["gsub"](b"a" * 100_000, b"a", b"x" * 100)


def test_catastrophic_backtracking_is_stopped_by_the_meter() -> None:
    rt = FakeRT(limit=200_000)
    S = strlib(rt)
    n = 40  # 2^40 steps without a meter
    with pytest.raises(MeterExceeded):
        S["find"](b"a" * n, b"a?" * n + b"a" * n + b"b")
    assert rt.steps < 200_000 + 600


# ------------------------------------------------------------------ differential


SIMPLE_CASES: list[tuple[str, tuple]] = [
    ("sub", (b"hello", 2)),
    ("sub", (b"hello", -2, -1)),
    ("sub", (b"hello", 3, -10)),
    ("sub", (b"hello", -(1 << 63), (1 << 63) - 1)),
    ("sub", (b"hello", 2.0, b"3")),
    ("sub", (b"hello",)),
    ("sub", (b"hello", b"x")),
    ("byte", (b"hello", 0, 10)),
    ("byte", (b"hello", -3, -2)),
    ("byte", (b"", 1)),
    ("byte", (b"\xff\x00",  1, 2)),
    ("char", (0, 255, 65)),
    ("char", (256,)),
    ("char", (-1,)),
    ("char", (1.5,)),
    ("rep", (b"ab", 3, b"-")),
    ("rep", (b"ab", -1, b"-")),
    ("rep", (b"ab", 1, b"-")),
    ("rep", (b"x", 2**31)),
    ("len", (b"\0\0",)),
    ("len", (None,)),
    ("upper", (b"abc\xe1xyz{",)),
    ("lower", (b"ABC\xc1XYZ@[",)),
    ("reverse", (b"",)),
    ("find", (b"abc", b"b", 1, True)),
    ("find", (b"a.c", b".", 1, True)),
    ("find", (b"a.c", b".", 1, 0)),
    ("find", (b"a.c", b".", 1, False)),
    ("find", (b"abc", b"", 10)),
    ("find", (b"abc", b"", -10)),
    ("find", (b"abc", b"c", 3.0)),
    ("find", (b"abc", b"c", 3.5)),
    ("find", (b"a\0b", b"\0")),
    ("find", (b"a\0b", b"%z")),
    ("find", (b"a\0b", b"[\0]")),
    ("match", (b"2024-01-05", b"(%d+)-(%d+)-(%d+)")),
    ("match", (b"f(a(b)c)d", b"%b()")),
    ("match", (b"THE (quick) fox", b"%f[%a]%a+")),
    ("match", (b"hello", b"(h)(e)(l)(l)(o)")),
    ("match", (b"aaa", b"(a)%1")),
    ("match", (b"abab", b"(ab)%1$")),
    ("match", (b"x", b"()")),
    ("match", (b"x", b"%")),
    ("match", (b"x", b"[a")),
    ("match", (b"x", b"[]")),
    ("match", (b"]", b"[]]")),
    ("match", (b"x", b"[^]")),
    ("match", (b"x", b"%f")),
    ("match", (b"x", b"%fx")),
    ("match", (b"x", b"%bx")),
    ("match", (b"x", b"(x")),
    ("match", (b"x", b"x)")),
    ("match", (b"x", b"%1")),
    ("match", (b"x", b"(x)%2")),
    ("match", (b"x", b"(()x)%2")),
    ("match", (b"a" * 300, b"(" * 40)),
    ("match", (b"x", b"a?" * 300)),
    ("match", (b"a" * 250, b"a?" * 250)),
    ("match", (b"a" * 198, b"a?" * 198 + b"$")),
    ("match", (b"a" * 198, b"a?" * 199)),
    ("match", (b"a" * 30, b"(.-)" * 3 + b"b")),
    ("find", (b"a" * 30, b"(a*)*b")),
    ("GM", (b"hello world from lua", b"%a+")),
    ("GM", (b"abc", b"")),
    ("GM", (b"abc", b"()", 2)),
    ("GM", (b"abc", b"a*", 10)),
    ("GM", (b"abc", b"a*", -1)),
    ("GM", (b"k=v, a=b", b"(%w+)=(%w+)")),
    ("GSUBF", (b"hello world", b"(o)(.)")),
    ("GSUBF", (b"hello world", b"()o")),
    ("GSUBT", (b"a b ab 1 c", b"%w+")),
    ("GSUBT", (b"a b ab 1 c", b"(%w)(%w)")),
    ("gsub", (b"abc", b"%w", b"%1%0%%")),
    ("gsub", (b"abc", b"", b"%1")),
    ("gsub", (b"abc", b"(", b"x")),
    ("gsub", (b"abc", b"(", b"%1")),
    ("gsub", (b"abc", b"b", True)),
    ("gsub", (b"abc", b"b", b"x", -1)),
    ("gsub", (b"abc", b"b", b"x", 1.5)),
    ("gsub", (b"", b"", b"x")),
    ("gsub", (b"abc", b".-", b"x")),
    ("gsub", (b"abc", b"^.", b"x")),
    ("gsub", (b"abc", b"$", b"x")),
    ("gsub", (b"a\0b", b"%z", b"\1")),
]


@needs_lua
def test_differential_listed() -> None:
    assert_no_mismatch(differential(SIMPLE_CASES))


def _random_pattern(rng: random.Random) -> bytes:
    atoms = [b"a", b"b", b"c", b".", b"%a", b"%d", b"%s", b"%w", b"%W", b"%p", b"[ab]", b"[^a]",
             b"[a-c]", b"[%d.]", b"[]]", b"%%", b"%(", b"%.", b"-", b"1", b" ", b"\0", b"[%a-]"]
    out = [b"^"] if rng.random() < 0.2 else []
    depth = 0
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.55:
            out.append(rng.choice(atoms) + (rng.choice([b"*", b"+", b"-", b"?"]) if rng.random() < 0.4 else b""))
        elif r < 0.65:
            out.append(b"(")
            depth += 1
        elif r < 0.75 and depth:
            out.append(b")")
            depth -= 1
        elif r < 0.8:
            out.append(b"()")
        elif r < 0.85:
            out.append(rng.choice([b"%b()", b"%bab", b"%f[%w]", b"%f[%W]", b"%f[a]"]))
        elif r < 0.9:
            out.append(rng.choice([b"%1", b"%2", b"%0"]))
        elif r < 0.93:
            out.append(rng.choice([b"[a", b"%", b"%b", b"%f", b")", b"(", b"%bx"]))
        else:
            out.append(b"$")
    out.extend([b")"] * (depth if rng.random() < 0.8 else 0))
    return b"".join(out)


def _random_subject(rng: random.Random) -> bytes:
    return bytes(rng.choice(b"aabbc1 .()%-\0") for _ in range(rng.randint(0, 12)))


@needs_lua
def test_differential_random_patterns() -> None:
    rng = random.Random(5404)
    cases: list[tuple[str, tuple]] = []
    repls = [b"x", b"%0", b"%1", b"<%1%2>", b"%%", b"%", b"%x", b""]
    for _ in range(2500):
        s, p = _random_subject(rng), _random_pattern(rng)
        kind = rng.randrange(7)
        init = rng.choice([None, None, 1, 2, -1, -3, 0, 5, 20, -20])
        if kind == 0:
            cases.append(("find", (s, p, init)))
        elif kind == 1:
            cases.append(("find", (s, p, init, rng.choice([True, False, None]))))
        elif kind == 2:
            cases.append(("match", (s, p, init)))
        elif kind == 3:
            cases.append(("GM", (s, p, init)))
        elif kind == 4:
            cases.append(("gsub", (s, p, rng.choice(repls), rng.choice([None, None, 0, 1, 2]))))
        elif kind == 5:
            cases.append(("GSUBF", (s, p, rng.choice([None, 1, 3]))))
        else:
            cases.append(("GSUBT", (s, p)))
    assert_no_mismatch(differential(cases))
