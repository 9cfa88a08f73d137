"""``string.pack``, ``string.packsize`` and ``string.unpack``: PUC Lua 5.4's binary format
language for a little-endian 64-bit host (short 2, int 4, long 8, size_t 8, lua_Integer 8,
float 4, double 8, maximum alignment 8), with lstrlib.c's checks and messages.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from luavm.errors import LuaError
from luavm.lib.args import arg_error, check_int, check_number, check_str, opt_int

MAXINTSIZE = 16
SZINT = 8
NATIVE_ALIGN = 8
MAXSIZE = (1 << 31) - 1  # PUC's MAXSIZE on 64-bit hosts (INT_MAX)
_MASK = (1 << 64) - 1

# option kinds (PUC's KOption)
KINT, KUINT, KFLOAT, KNUMBER, KDOUBLE, KCHAR, KSTRING, KZSTR, KPADDING, KPADDALIGN, KNOP = range(11)

_FIXED = {
    ord("b"): (KINT, 1),
    ord("B"): (KUINT, 1),
    ord("h"): (KINT, 2),
    ord("H"): (KUINT, 2),
    ord("l"): (KINT, 8),
    ord("L"): (KUINT, 8),
    ord("j"): (KINT, 8),
    ord("J"): (KUINT, 8),
    ord("T"): (KUINT, 8),
    ord("f"): (KFLOAT, 4),
    ord("n"): (KNUMBER, 8),
    ord("d"): (KDOUBLE, 8),
}


class _Header:
    """Endianness and maximum alignment, changed by '<', '>', '=', '!' as the format goes."""

    __slots__ = ("fmt", "i", "little", "maxalign", "fname")

    def __init__(self, fmt: bytes, fname: str):
        self.fmt = fmt.split(b"\0", 1)[0]  # luaL_checkstring: C reads up to the first zero
        self.i = 0
        self.little = True
        self.maxalign = 1
        self.fname = fname

    def getnum(self, df: int) -> int:
        fmt, i = self.fmt, self.i
        if i >= len(fmt) or not 48 <= fmt[i] <= 57:
            return df
        a = 0
        while True:
            a = a * 10 + fmt[i] - 48
            i += 1
            if not (i < len(fmt) and 48 <= fmt[i] <= 57 and a <= (MAXSIZE - 9) // 10):
                break
        self.i = i
        return a

    def getnumlimit(self, df: int) -> int:
        sz = self.getnum(df)
        if sz > MAXINTSIZE or sz <= 0:
            raise LuaError(f"integral size ({sz}) out of limits [1,{MAXINTSIZE}]", level=1)
        return sz

    def getoption(self) -> tuple[int, int]:
        """The next option's kind and size (PUC's getoption)."""
        opt = self.fmt[self.i]
        self.i += 1
        fixed = _FIXED.get(opt)
        if fixed is not None:
            return fixed
        if opt == 105:  # 'i'
            return KINT, self.getnumlimit(4)
        if opt == 73:  # 'I'
            return KUINT, self.getnumlimit(4)
        if opt == 115:  # 's'
            return KSTRING, self.getnumlimit(8)
        if opt == 99:  # 'c'
            size = self.getnum(-1)
            if size == -1:
                raise LuaError("missing size for format option 'c'", level=1)
            return KCHAR, size
        if opt == 122:  # 'z'
            return KZSTR, 0
        if opt == 120:  # 'x'
            return KPADDING, 1
        if opt == 88:  # 'X'
            return KPADDALIGN, 0
        if opt == 32:
            pass
        elif opt == 60:  # '<'
            self.little = True
        elif opt == 62:  # '>'
            self.little = False
        elif opt == 61:  # '='
            self.little = True
        elif opt == 33:  # '!'
            self.maxalign = self.getnumlimit(NATIVE_ALIGN)
        else:
            raise LuaError(b"invalid format option '" + bytes([opt]) + b"'", level=1)
        return KNOP, 0

    def getdetails(self, totalsize: int) -> tuple[int, int, int]:
        """The next option's kind, size and padding needed to align it (PUC's getdetails)."""
        opt, size = self.getoption()
        align = size
        if opt == KPADDALIGN:
            if self.i >= len(self.fmt):
                arg_error(1, self.fname, "invalid next option for option 'X'")
            nopt, align = self.getoption()
            if nopt == KCHAR or align == 0:
                arg_error(1, self.fname, "invalid next option for option 'X'")
        if align <= 1 or opt == KCHAR:
            return opt, size, 0
        if align > self.maxalign:
            align = self.maxalign
        if align & (align - 1):
            arg_error(1, self.fname, "format asks for alignment not power of 2")
        return opt, size, (align - (totalsize & (align - 1))) & (align - 1)


def packint(n: int, little: bool, size: int, neg: bool) -> bytes:
    """``size`` bytes of the 64-bit two's complement of n, sign-extended past 8 bytes if neg."""
    if size <= SZINT:
        b = (n & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    else:
        b = (n & _MASK).to_bytes(SZINT, "little") + (b"\xff" if neg else b"\x00") * (size - SZINT)
    return b if little else b[::-1]


def unpackint(data: bytes, pos: int, little: bool, size: int, signed: bool) -> int:
    raw = data[pos : pos + size]
    if not little:
        raw = raw[::-1]
    limit = min(size, SZINT)
    res = int.from_bytes(raw[:limit], "little")
    if size < SZINT:
        if signed:
            mask = 1 << (size * 8 - 1)
            res = (res ^ mask) - mask
        return res
    if size > SZINT:
        mask = 0 if (not signed or res < (1 << 63)) else 0xFF
        for c in raw[limit:]:
            if c != mask:
                raise LuaError(f"{size}-byte integer does not fit into Lua Integer", level=1)
    return res - (1 << 64) if res >= (1 << 63) else res


def _pack_float(x: float, little: bool, size: int) -> bytes:
    code = ("<" if little else ">") + ("f" if size == 4 else "d")
    try:
        return struct.pack(code, x)
    except OverflowError:  # C's (float) conversion of a too large double gives +-inf
        return struct.pack(code, math.copysign(math.inf, x))


class _Sink:
    """Output accounting: charge and announce growth to the runtime before it is built."""

    __slots__ = ("rt", "size", "acct")

    def __init__(self, rt: Any):
        self.rt = rt
        self.size = 0
        self.acct = 0

    def grow(self, n: int) -> None:
        self.size += n
        d = self.size - self.acct
        if d >= 1024:
            self.rt.charge(d >> 4)
            self.rt.alloc(d)
            self.acct = self.size

    def finish(self, nopts: int) -> None:
        d = self.size - self.acct
        self.rt.charge(nopts + (d >> 4))
        if self.size > 64:
            self.rt.alloc(d)


def _arg(args: tuple, arg: int) -> tuple:
    """pack's missing arguments read as nil (PUC pushes a nil mark after them)."""
    if arg <= len(args):
        return args
    return args + (None,) * (arg - len(args))


def str_pack(rt: Any, args: tuple) -> bytes:
    """``string.pack(fmt, v1, ...)``."""
    h = _Header(check_str(args, 1, "pack"), "pack")
    fmt = h.fmt
    out = _Sink(rt)
    parts: list[bytes] = []
    arg = 1
    total = 0
    nopts = 0
    while h.i < len(fmt):
        opt, size, ntoalign = h.getdetails(total)
        nopts += 1
        if nopts >= 256:
            rt.charge(nopts)
            nopts = 0
        total += ntoalign + size
        out.grow(ntoalign + size)
        if ntoalign:
            parts.append(b"\x00" * ntoalign)
        arg += 1
        a = _arg(args, arg)
        if opt == KINT:
            n = check_int(a, arg, "pack")
            if size < SZINT:
                lim = 1 << (size * 8 - 1)
                if not -lim <= n < lim:
                    arg_error(arg, "pack", "integer overflow")
            parts.append(packint(n, h.little, size, n < 0))
        elif opt == KUINT:
            n = check_int(a, arg, "pack")
            if size < SZINT and (n & _MASK) >= (1 << (size * 8)):
                arg_error(arg, "pack", "unsigned overflow")
            parts.append(packint(n & _MASK, h.little, size, False))
        elif opt == KFLOAT or opt == KNUMBER or opt == KDOUBLE:
            x = float(check_number(a, arg, "pack"))
            parts.append(_pack_float(x, h.little, size))
        elif opt == KCHAR:
            s = check_str(a, arg, "pack")
            if len(s) > size:
                arg_error(arg, "pack", "string longer than given size")
            parts.append(s)
            if len(s) < size:
                parts.append(b"\x00" * (size - len(s)))
        elif opt == KSTRING:
            s = check_str(a, arg, "pack")
            if size < 8 and len(s) >= (1 << (size * 8)):
                arg_error(arg, "pack", "string length does not fit in given size")
            parts.append(packint(len(s), h.little, size, False))
            parts.append(s)
            total += len(s)
            out.grow(len(s))
        elif opt == KZSTR:
            s = check_str(a, arg, "pack")
            if b"\0" in s:
                arg_error(arg, "pack", "string contains zeros")
            parts.append(s)
            parts.append(b"\x00")
            total += len(s) + 1
            out.grow(len(s) + 1)
        else:
            if opt == KPADDING:
                parts.append(b"\x00")
            arg -= 1
    out.finish(nopts)
    return b"".join(parts)


def str_packsize(rt: Any, args: tuple) -> int:
    """``string.packsize(fmt)``."""
    h = _Header(check_str(args, 1, "packsize"), "packsize")
    rt.charge(1 + (len(h.fmt) >> 2))
    total = 0
    while h.i < len(h.fmt):
        opt, size, ntoalign = h.getdetails(total)
        if opt == KSTRING or opt == KZSTR:
            arg_error(1, "packsize", "variable-length format")
        size += ntoalign
        if not total <= MAXSIZE - size:
            arg_error(1, "packsize", "format result too large")
        total += size
    return total


def str_unpack(rt: Any, args: tuple) -> tuple:
    """``string.unpack(fmt, s [, pos])``: the values and the position after them."""
    h = _Header(check_str(args, 1, "unpack"), "unpack")
    fmt = h.fmt
    data = check_str(args, 2, "unpack")
    ld = len(data)
    pos = opt_int(args, 3, "unpack", 1)
    pos = (pos if pos > 0 else 1 if (pos == 0 or pos < -ld) else ld + pos + 1) - 1
    if pos > ld:
        arg_error(3, "unpack", "initial position out of string")
    res: list = []
    nopts = 0
    nbytes = 0
    while h.i < len(fmt):
        opt, size, ntoalign = h.getdetails(pos)
        nopts += 1
        if nopts >= 256:
            rt.charge(nopts + (nbytes >> 4))
            nopts = nbytes = 0
        if ntoalign + size > ld - pos:
            arg_error(2, "unpack", "data string too short")
        pos += ntoalign
        if opt == KINT or opt == KUINT:
            res.append(unpackint(data, pos, h.little, size, opt == KINT))
        elif opt == KFLOAT:
            res.append(struct.unpack_from("<f" if h.little else ">f", data, pos)[0])
        elif opt == KNUMBER or opt == KDOUBLE:
            res.append(struct.unpack_from("<d" if h.little else ">d", data, pos)[0])
        elif opt == KCHAR:
            if size > 64:
                rt.charge(size >> 4)
                rt.alloc(size)
            res.append(data[pos : pos + size])
        elif opt == KSTRING:
            ln = unpackint(data, pos, h.little, size, False) & _MASK
            if ln > ld - pos - size:
                arg_error(2, "unpack", "data string too short")
            if ln > 64:
                rt.charge(ln >> 4)
                rt.alloc(ln)
            res.append(data[pos + size : pos + size + ln])
            pos += ln
        elif opt == KZSTR:
            e = data.find(b"\0", pos)
            nbytes += (e if e >= 0 else ld) - pos
            if e < 0:
                arg_error(2, "unpack", "unfinished string for format 'z'")
            if e - pos > 64:
                rt.charge((e - pos) >> 4)
                rt.alloc(e - pos)
            res.append(data[pos:e])
            pos = e + 1
        pos += size
    rt.charge(1 + nopts + (nbytes >> 4))
    res.append(pos + 1)
    return tuple(res)
