"""Tests for luavm.lib.strformat (string.format), with a differential run against lua5.4."""

from __future__ import annotations

import importlib.util
import pathlib
import random

from luavm.lib.strformat import format_hexfloat, quote_string
from luavm.luanumbers import DEFAULT_NAN
from luavm.table import LuaTable

_spec = importlib.util.spec_from_file_location("_strharness", pathlib.Path(__file__).with_name("test_stringlib.py"))
H = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(H)  # the shared fake runtime and lua5.4 differential harness


def fmt(*args: object, rt: H.FakeRT | None = None) -> bytes:
    return H.strlib(rt)["format"](*args)[0]


def test_basic_conversions() -> None:
    assert fmt(b"%d %5.3d %-5d| %+d % d %05d %.0d|", 3, 7, 2, 5, 5, -42, 0) == b"3   007 2    | +5  5 -0042 |"
    assert fmt(b"%x %X %o %u %c", -1, 255, 8, -1, 65) == b"ffffffffffffffff FF 10 18446744073709551615 A"
    assert fmt(b"%#x %#o %#X %#o %#.0o", 0, 0, 255, 8, 0) == b"0 0 0XFF 010 0"
    assert fmt(b"%5.2f|%-8e|%+g|% g|%#g", 3.14159, 1.0, 3.0, 3.0, 1.0) == b" 3.14|1.000000e+00|+3| 3|1.00000"
    assert fmt(b"%d", b"10") == b"10"
    assert fmt(b"%d", 3.0) == b"3"
    assert fmt(b"%5s|%-5s|%.1s|%s", b"ab", b"ab", b"xyz", 1.0) == b"   ab|ab   |x|1.0"
    assert fmt(b"%s", b"a\0b") == b"a\0b"
    assert fmt(b"%5s", b"a" * 150) == b"a" * 150  # too long to format: kept whole
    assert fmt(b"%c%c", 0, 256 + 65) == b"\0A"
    assert fmt(b"%5c|%-3c|", 65, 66) == b"    A|B  |"
    assert fmt(b"100%%") == b"100%"
    assert fmt(b"%10p|", None) == b"    (null)|"
    t = LuaTable()
    rt = H.FakeRT()
    assert fmt(b"%p", t, rt=rt) == fmt(b"%p", t, rt=rt) != fmt(b"%p", LuaTable(), rt=rt)
    assert fmt(b"%p", b"short", rt=rt) == fmt(b"%p", b"sh" + b"ort", rt=rt)


def test_hex_floats_match_glibc() -> None:
    assert format_hexfloat(1.0) == "0x1p+0"
    assert format_hexfloat(255.5, upper=True) == "0X1.FFP+7"
    assert format_hexfloat(0.1) == "0x1.999999999999ap-4"
    assert format_hexfloat(5e-324) == "0x0.0000000000001p-1022"
    assert format_hexfloat(2.2250738585072014e-308) == "0x1p-1022"
    assert format_hexfloat(-0.0) == "-0x0p+0"
    assert format_hexfloat(1.5, prec=0) == "0x2p+0"  # ties to even, no renormalization
    assert format_hexfloat(2.5, prec=0) == "0x1p+1"
    assert format_hexfloat(1.99999, prec=3) == "0x2.000p+0"
    assert format_hexfloat(-3.0, flags="0", width=20) == "-0x000000000001.8p+1"
    assert format_hexfloat(1.0, flags="#") == "0x1.p+0"


def test_quoting() -> None:
    assert quote_string(b'a\0b\1c\0012\r\n"\\\x7f\x80\xffx') == b'"a\\0b\\1c\\0012\\13\\\n\\"\\\\\\127\x80\xffx"'
    assert fmt(b"%q", 1) == b"1"
    assert fmt(b"%q", -(1 << 63)) == b"0x8000000000000000"
    assert fmt(b"%q %q %q %q", 1.0, float("inf"), -float("inf"), DEFAULT_NAN) == b"0x1p+0 1e9999 -1e9999 (0/0)"
    assert fmt(b"%q %q %q", None, True, False) == b"nil true false"


def test_errors() -> None:
    f = H.strlib()["format"]
    assert H.lua_error(f, b"%y", 1) == "invalid conversion '%y' to 'format'"
    assert H.lua_error(f, b"%y") == "bad argument #2 to 'format' (no value)"
    assert H.lua_error(f, b"%", 1) == "invalid conversion '%' to 'format'"
    assert H.lua_error(f, b"%ld", 1) == "invalid conversion '%l' to 'format'"
    assert H.lua_error(f, b"%099999d", 1) == "invalid conversion specification: '%099999d'"
    assert H.lua_error(f, b"%100d", 1) == "invalid conversion specification: '%100d'"
    assert H.lua_error(f, b"%.100f", 1) == "invalid conversion specification: '%.100f'"
    assert H.lua_error(f, b"%#d", 1) == "invalid conversion specification: '%#d'"
    assert H.lua_error(f, b"%05s", b"a") == "invalid conversion specification: '%05s'"
    assert H.lua_error(f, b"%-----------------------5d", 1) == "invalid format (too long)"
    assert H.lua_error(f, b"%d", 1.5) == "bad argument #2 to 'format' (number has no integer representation)"
    assert H.lua_error(f, b"%d", b"x") == "bad argument #2 to 'format' (number expected, got string)"
    assert H.lua_error(f, b"%5q", 1) == "specifier '%q' cannot have modifiers"
    assert H.lua_error(f, b"%q", LuaTable()) == "bad argument #2 to 'format' (value has no literal form)"
    assert H.lua_error(f, b"%5.2s", b"a\0b") == "bad argument #2 to 'format' (string contains zeros)"
    assert H.lua_error(f, b"%F", 1.0) == "invalid conversion '%F' to 'format'"
    assert H.lua_error(f) == "bad argument #1 to 'format' (string expected, got no value)"


def test_output_is_metered_and_announced() -> None:
    rt = H.FakeRT()
    out = fmt(b"%99.99f" * 100, *([1e300] * 100), rt=rt)
    assert len(out) == 100 * 401  # 301 digits, the point, 99 decimals
    assert sum(rt.allocs) == len(out)
    assert rt.steps >= len(out) // 16


# ------------------------------------------------------------------ differential

LISTED: list[tuple] = [
    (b"%a %A %.0a %.1a %#a %+a % a %20a %-20a| %020a", 1.0, 255.5, 1.5, 1.03125, 1.0, 2.0, 2.0, 3.0, 3.0, -3.0),
    (b"%a %a %a %.3a %.0a %.0a %.13a %.20a", 5e-324, 2.2250738585072014e-308, 0.0, 1.99999, 2.5, 1.5, 0.1, 0.1),
    (b"%a %a %A %5.1f|%-8e|%08.3f|%+g|% e|%#g|%G", float("inf"), -DEFAULT_NAN, DEFAULT_NAN, float("inf"),
     -float("inf"), float("inf"), DEFAULT_NAN, DEFAULT_NAN, 3.0, 1e-20),
    (b"%.99f", 1 / 3),
    (b"%99.99f", -1e308),
    (b"%.14g %.17g %g %g %g", 0.1, 0.1, 1e15, 1e16, 123456789.0),
    (b"%5.3s|%.0s|%-10.2s|", b"abcdef", b"abc", b"xyz"),
    (b"%s %s %s %s", 1, 1.5, -0.0, 1e100),
    (b"%q", b"\0\1\0012\r\n\t\"\\\x7f\x80\xff"),
    (b"%q %q %q %q %q", -0.0, 0.1, 1e308, 5e-324, -(1 << 63)),
    (b"%i %5i %-5i|", 1, -2, 3),
    (b"%c", 0),
    (b"%d %d", 1),
    (b"%d", (1 << 63) - 1),
    (b"%x", -(1 << 63)),
    (b"%d", 2.0 ** 63),
    (b"%d", -(2.0 ** 63)),
    (b"%.3d|%.0x|%#.3x|%#5o|%-#8x|%08.3d", 5, 0, 1, 1, 255, -5),
    (b"%f", 1 << 62),
    (b"%s", None),
    (b"%10s|", True),
    (b"%0s", b"x"),
    (b"%.s|%.d|%.f", b"abc", 0, 1.5),
    (b"abc%"),
    (b"%1$d", 1),
]


@H.needs_lua
def test_differential_listed() -> None:
    H.assert_no_mismatch(H.differential([("format", args) for args in LISTED]))


@H.needs_lua
def test_differential_random_specs() -> None:
    rng = random.Random(54)
    ints = [0, 1, -1, 7, 255, -42, 123456789, (1 << 63) - 1, -(1 << 63), 2.0, b"17"]
    floats = [0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 1e-300, 5e-324, 1e300, 123456.789, 1e15, 1e16, 9.99999e-5,
              float("inf"), -float("inf"), DEFAULT_NAN, -DEFAULT_NAN, 3, 0.5, 1 / 3, 2 ** 52 + 0.5]
    strs = [b"", b"a", b"hello world", b"x" * 120, 12, 1.25]
    cases = []
    for _ in range(3000):
        conv = rng.choice("cdiuoxXaAeEfgGsqp%F")
        flags = "".join(rng.choice("-+ #0") for _ in range(rng.choice([0, 0, 1, 1, 2, 3])))
        width = rng.choice(["", "", "1", "5", "12", "30", "099", "100"])
        prec = rng.choice(["", "", "", ".", ".0", ".1", ".3", ".10", ".20", ".99", ".100"])
        spec = ("%" + flags + width + prec + conv).encode()
        if conv in "cdiuoxX":
            v = rng.choice(ints)
        elif conv in "aAeEfgGF":
            v = rng.choice(floats)
        elif conv == "q":
            v = rng.choice(ints + floats + strs)
        elif conv == "p":
            v = rng.choice([None, 1, True])
        else:
            v = rng.choice(strs)
        cases.append(("format", (b"<" + spec + b">", v)))
    H.assert_no_mismatch(H.differential(cases))
