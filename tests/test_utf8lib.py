"""Tests for luavm.lib.utf8lib: decoding rules (strict and lax), every function's results and
errors, metering, and a differential run over random byte strings against lua5.4."""

from __future__ import annotations

import random
from typing import Any

from luavm.errors import LuaError
from luavm.lib.utf8lib import CHARPATTERN, decode, encode, open_utf8
from test_tablelib import FakeRT, lib_funcs, lua_error, needs_lua, run_lua

U = lib_funcs(open_utf8)


def codes(s: bytes, lax: bool = False) -> list[tuple[int, int]]:
    f, st, ctl = U["codes"](s, lax)
    out = []
    while True:
        r = f(st, ctl)
        if not r:
            return out
        out.append(r)
        ctl = r[0]


def test_char_and_charpattern() -> None:
    assert U["char"](72, 228, 8364, 128512) == ("Hä€😀".encode(),)
    assert U["char"]() == (b"",)
    assert len(U["char"](0x7FFFFFFF)[0]) == 6
    assert lua_error(U["char"], -1) == "bad argument #1 to 'char' (value out of range)"
    assert lua_error(U["char"], 1, 0x80000000) == "bad argument #2 to 'char' (value out of range)"
    assert lua_error(U["char"], b"x") == "bad argument #1 to 'char' (number expected, got string)"
    assert open_utf8(FakeRT())[b"charpattern"] == b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*" == CHARPATTERN


def test_decode_rules() -> None:
    for cp in (0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF, 0x110000, 0x7FFFFFFF):
        b = encode(cp)
        assert decode(b, 0, False) == (cp, len(b))
    assert decode(encode(0xD800), 0, True) is None and decode(encode(0x110000), 0, True) is None
    assert decode(b"\xC0\x80", 0, False) is None  # overlong
    assert decode(b"\xE4", 0, False) is None  # truncated: the terminating NUL is no continuation
    assert decode(b"\xFE\x80\x80\x80\x80\x80\x80", 0, False) is None


def test_len() -> None:
    assert U["len"]("héllo".encode()) == (5,)
    assert U["len"](b"") == (0,)
    assert U["len"](b"abc", 4) == (0,)
    assert U["len"](b"ab\xffcd") == (None, 3)
    assert U["len"](encode(0xD800), 1, -1, True) == (1,)
    assert lua_error(U["len"], b"abc", 5) == "bad argument #2 to 'len' (initial position out of bounds)"
    assert lua_error(U["len"], b"abc", 1, 4) == "bad argument #3 to 'len' (final position out of bounds)"


def test_codepoint_offset_codes() -> None:
    assert U["codepoint"]("hé!".encode(), 1, -1) == (104, 233, 33)
    assert U["codepoint"](b"abc", 4, 3) == ()
    assert lua_error(U["codepoint"], b"\xff") == "invalid UTF-8 code"
    assert lua_error(U["codepoint"], b"abc", 4) == "bad argument #3 to 'codepoint' (out of bounds)"
    assert lua_error(U["codepoint"], b"abc", 0) == "bad argument #2 to 'codepoint' (out of bounds)"
    s = "aéb€".encode()
    assert [U["offset"](s, n)[0] for n in range(1, 7)] == [1, 2, 4, 5, 8, None]
    assert U["offset"](s, -1) == (5,) and U["offset"](s, 0, 3) == (2,)
    assert lua_error(U["offset"], s, 1, 3) == "initial position is a continuation byte"
    assert lua_error(U["offset"], s, 1, 10) == "bad argument #3 to 'offset' (position out of bounds)"
    assert codes("aé€".encode()) == [(1, 97), (2, 233), (4, 8364)]
    assert lua_error(codes, b"a\xffb") == "invalid UTF-8 code"
    assert codes(b"a\x80") == [(1, 97)]
    assert codes(b"\x80a") == [(2, 97)]
    assert codes(encode(0xD800), True) == [(1, 0xD800)]


def test_metering() -> None:
    rt = FakeRT()
    u = lib_funcs(open_utf8, rt)
    assert u["len"]("é".encode() * 800) == (800,)
    assert rt.steps == 1600 // 2  # decoded character by character: 1 per 2 bytes
    rt.steps = 0
    u["codepoint"](b"a" * 320, 1, -1)
    assert rt.steps == 160
    assert rt.mem == 320 * 8


def _lua_str(b: bytes) -> str:
    return '"' + "".join(f"\\x{c:02x}" for c in b) + '"'


@needs_lua
def test_differential_random_strings() -> None:
    rng = random.Random(3)
    alphabet = [b"a", b"\x80", b"\xbf", b"\xc2", b"\xdf", b"\xe0", b"\xed", b"\xf0", b"\xf4", b"\xf8", b"\xfc",
                b"\xfe", b"\xff", "é".encode(), "€".encode(), "😀".encode(), encode(0xD800), encode(0x7FFFFFFF)]
    strings = [b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6))) for _ in range(150)]
    prelude = r"""
local function run(f, ...)
  local r = table.pack(pcall(f, ...))
  local o = {}
  for i = 1, r.n do o[#o + 1] = tostring(r[i]) end
  print((table.concat(o, " "):gsub("'utf8%.", "'")))
end
local function C(s, lax)
  local out = {}
  local ok, e = pcall(function() for p, c in utf8.codes(s, lax) do out[#out + 1] = p .. ":" .. c end end)
  print(ok and "true" or "false", table.concat(out, ","), ok and "" or (e:gsub("^[^:]*:%d+: ", ""):gsub("'utf8%.", "'")))
end
"""
    lines = [prelude]
    expected: list[str] = []

    def show(v: Any) -> str:
        if v is None:
            return "nil"
        if v is True or v is False:
            return str(v).lower()
        if type(v) is bytes:
            return v.decode("latin-1")
        return str(v)

    def py(fname: str, *args: Any) -> str:
        try:
            r = U[fname](*args)
            return " ".join(["true"] + [show(v) for v in r])
        except LuaError as e:
            return "false " + e.value.decode("latin-1")

    def pycodes(s: bytes, lax: bool) -> str:
        out: list[str] = []
        try:
            f, st, ctl = U["codes"](s, lax)
            while True:
                r = f(st, ctl)
                if not r:
                    break
                out.append(f"{r[0]}:{r[1]}")
                ctl = r[0]
        except LuaError as e:
            return "false\t" + ",".join(out) + "\t" + e.value.decode("latin-1")
        return "true\t" + ",".join(out) + "\t"

    for s in strings:
        ls = _lua_str(s)
        n = len(s)
        for lax in (False, True):
            ll = "true" if lax else "false"
            lines.append(f"run(utf8.len, {ls}, 1, -1, {ll})")
            expected.append(py("len", s, 1, -1, lax))
            lines.append(f"run(utf8.codepoint, {ls}, 1, -1, {ll})")
            expected.append(py("codepoint", s, 1, -1, lax))
            lines.append(f"C({ls}, {ll})")
            expected.append(pycodes(s, lax))
        for i in (-n - 1, -1, 0, 1, 2, n, n + 1, n + 2):
            lines.append(f"run(utf8.len, {ls}, {i})")
            expected.append(py("len", s, i))
            for k in (-2, 0, 1, 3):
                lines.append(f"run(utf8.offset, {ls}, {k}, {i})")
                expected.append(py("offset", s, k, i))
    out = run_lua("\n".join(lines)).splitlines()
    diffs = [(line, o, e) for line, o, e in zip(lines[1:], out, expected) if o != e]
    assert not diffs, diffs[:10]
    assert len(out) == len(expected)
