"""Tests for luavm.lib.strpack (string.pack/packsize/unpack), with a differential run against lua5.4."""

from __future__ import annotations

import importlib.util
import pathlib
import random

import pytest

from luavm.luanumbers import DEFAULT_NAN

_spec = importlib.util.spec_from_file_location("_strharness", pathlib.Path(__file__).with_name("test_stringlib.py"))
H = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(H)  # the shared fake runtime and lua5.4 differential harness

S = H.strlib()
pack, packsize, unpack = S["pack"], S["packsize"], S["unpack"]


def test_integers_and_endianness() -> None:
    assert pack(b"<i4", 100) == (b"d\0\0\0",)
    assert pack(b">i4", 100) == (b"\0\0\0d",)
    assert pack(b"b B h H", -1, 255, -2, 65535) == (b"\xff\xff\xfe\xff\xff\xff",)
    assert unpack(b"<i4", b"\xfe\xff\xff\xff") == (-2, 5)
    assert unpack(b"<I4", b"\xfe\xff\xff\xff") == (4294967294, 5)
    assert pack(b"<i16", -2) == (b"\xfe" + b"\xff" * 15,)
    assert unpack(b"<i16", b"\xfe" + b"\xff" * 15) == (-2, 17)
    assert pack(b"<I16", -1) == (b"\xff" * 8 + b"\0" * 8,)
    assert unpack(b"<j", pack(b"<j", -(1 << 63))[0]) == (-(1 << 63), 9)
    assert unpack(b"<J", b"\xff" * 8) == (-1, 9)
    assert unpack(b"<i3", b"\xff\xff\x7f") == (0x7FFFFF, 4)


def test_floats_strings_alignment() -> None:
    assert unpack(b"<d", pack(b"<d", 0.1)[0]) == (0.1, 9)
    assert unpack(b"<f", pack(b"<f", 0.5)[0]) == (0.5, 5)
    assert pack(b"<f", 1e300) == (b"\0\0\x80\x7f",)  # C's float conversion overflows to inf
    assert pack(b"s1", b"abc") == (b"\3abc",)
    assert pack(b"z", b"abc") == (b"abc\0",)
    assert pack(b"c5", b"abc") == (b"abc\0\0",)
    assert unpack(b"s1 z c2", b"\3abcxy\0zw") == (b"abc", b"xy", b"zw", 10)
    assert pack(b"!4 b i4", 1, 2) == (b"\1\0\0\0\2\0\0\0",)
    assert pack(b"b Xi4 b", 1, 2) == (b"\1\2",)  # X aligns only under '!': maxalign is 1
    assert pack(b"!8 b Xi8 b", 1, 2) == (b"\1" + b"\0" * 7 + b"\2",)
    assert packsize(b"!8 b d i2 Xj") == (24,)
    assert packsize(b"i4\0i8") == (4,)  # the format is a C string
    assert unpack(b"i4", b"\0\0\0\0abcd", -4) == (0x64636261, 9)


def test_errors() -> None:
    e = H.lua_error
    assert e(pack, b"i17", 1) == "integral size (17) out of limits [1,16]"
    assert e(pack, b"i0", 1) == "integral size (0) out of limits [1,16]"
    assert e(packsize, b"c2147483647") == "invalid format option '7'"
    assert e(pack, b"c", 1) == "missing size for format option 'c'"
    assert e(pack, b"X", 1) == "bad argument #1 to 'pack' (invalid next option for option 'X')"
    assert e(pack, b"!3i4", 1) == "bad argument #1 to 'pack' (format asks for alignment not power of 2)"
    assert e(pack, b"y", 1) == "invalid format option 'y'"
    assert e(pack, b"i1", 200) == "bad argument #2 to 'pack' (integer overflow)"
    assert e(pack, b"I1", -1) == "bad argument #2 to 'pack' (unsigned overflow)"
    assert e(pack, b"s1", b"x" * 256) == "bad argument #2 to 'pack' (string length does not fit in given size)"
    assert e(pack, b"z", b"a\0b") == "bad argument #2 to 'pack' (string contains zeros)"
    assert e(pack, b"c2", b"abc") == "bad argument #2 to 'pack' (string longer than given size)"
    assert e(pack, b"i4i4", 1) == "bad argument #3 to 'pack' (number expected, got nil)"
    assert e(unpack, b"i16", b"\xff" * 15 + b"\x7f") == "16-byte integer does not fit into Lua Integer"
    assert e(unpack, b"z", b"abc") == "bad argument #2 to 'unpack' (unfinished string for format 'z')"
    assert e(unpack, b"i4", b"abc") == "bad argument #2 to 'unpack' (data string too short)"
    assert e(unpack, b"i4", b"abcd", 6) == "bad argument #3 to 'unpack' (initial position out of string)"
    assert e(packsize, b"s") == "bad argument #1 to 'packsize' (variable-length format)"
    assert e(packsize, b"c214748364" * 11) == "bad argument #1 to 'packsize' (format result too large)"


def test_big_results_are_announced_before_they_exist() -> None:
    rt = H.FakeRT(mem_limit=1 << 20)
    with pytest.raises(H.MeterExceeded):
        H.strlib(rt)["pack"](b"c200000000", b"")
    rt = H.FakeRT()
    out = H.strlib(rt)["pack"](b"c3000 s4", b"x", b"y" * 5000)[0]
    assert sum(rt.allocs) == len(out) == 3000 + 4 + 5000


@H.needs_lua
def test_differential_listed() -> None:
    cases = [
        ("PACKRT", (b"<i4 >i4 =i4", 1, -1, 1000)),
        ("PACKRT", (b"<f >d n", 0.1, DEFAULT_NAN, float("-inf"))),
        ("PACKRT", (b"<f", 3.5e38)),
        ("PACKRT", (b"<f", -1e39)),
        ("PACKRT", (b"<i16 >I9 j J T", -5, 1 << 62, 7, -7, 9)),
        ("PACKRT", (b"!2 b h x Xi4 i8 !16 i16", 1, 2, 3, 4)),
        ("PACKRT", (b"s2 z c3 s", b"hello", b"w", b"ab", b"")),
        ("PACKRT", (b" < > = ! ",)),
        ("unpack", (b"i9", b"\xff" * 8 + b"\0")),
        ("unpack", (b"I9", b"\xff" * 9)),
        ("unpack", (b"i9", b"\xff" * 9)),
        ("unpack", (b">i9", b"\x01" + b"\0" * 8)),
        ("unpack", (b"b", b"", 1)),
        ("unpack", (b"b", b"x", 2)),
        ("unpack", (b"z", b"ab\0cd\0", 4)),
        ("unpack", (b"s1", b"\5ab")),
        ("unpack", (b"c0 c0", b"")),
        ("unpack", (b"!4 b Xi4 i4", b"\1\0\0\0\2\0\0\0")),
        ("unpack", (b"i4", b"\1\2\3\4", -1)),
        ("unpack", (b"i4", b"\1\2\3\4", -10)),
        ("packsize", (b"!4 i3 i4",)),
        ("packsize", (b"Xc1",)),
        ("packsize", (b"i99999999999999",)),
        ("pack", (b"d", b"1.5")),
        ("pack", (b"i", 1.5)),
        ("pack", (b"c1", 5)),
        ("pack", (b"j", (1 << 63) - 1)),
    ]
    H.assert_no_mismatch(H.differential(cases))


@H.needs_lua
def test_differential_random_formats() -> None:
    rng = random.Random(544)
    opts = ["b", "B", "h", "H", "l", "L", "j", "J", "T", "i", "I", "i3", "I5", "i8", "i9", "I12", "i16",
            "f", "d", "n", "s1", "s2", "s", "z", "c3", "c0", "x", "Xi4", "Xh", "!", "!4", "!2", "<", ">", "=", " "]
    ints = [0, 1, -1, 127, -128, 255, 256, 32767, -32768, 65535, 1 << 31, -(1 << 31), (1 << 63) - 1, -(1 << 63)]
    cases = []
    for _ in range(1500):
        fmt_opts = [rng.choice(opts) for _ in range(rng.randint(1, 6))]
        values = []
        for o in fmt_opts:
            if o[0] in "bBhHlLjJTiI":
                values.append(rng.choice(ints))
            elif o[0] in "fdn":
                values.append(rng.choice([0.0, -0.0, 1.5, 0.1, 1e300, -1e-300, float("inf"), DEFAULT_NAN]))
            elif o[0] in "sz":
                values.append(rng.choice([b"", b"abc", b"x" * 300, b"a\0b"]))
            elif o[0] == "c":
                values.append(rng.choice([b"", b"ab", b"abcd"]))
        fmt = " ".join(fmt_opts).encode()
        cases.append(("PACKRT", (fmt, *values)))
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
        cases.append(("unpack", (fmt, data, rng.choice([None, 1, 2, -5]))))
        cases.append(("packsize", (fmt,)))
    H.assert_no_mismatch(H.differential(cases))
