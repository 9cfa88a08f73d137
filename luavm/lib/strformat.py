"""``string.format``: PUC Lua 5.4.4's str_format with a C-printf emulation (glibc output).

Each conversion is checked as lstrlib.c does (``getformat``/``checkformat``: per-conversion
flags, width and precision of at most two digits) and then rendered here: integers by hand
(C's precision, '#', '0' and sign rules), e/f/g through Python's printf-style operator (which
follows C for finite values), non-finite values and ``%a`` by hand, the latter matching
glibc's hexadecimal output (``0x1p+0``, subnormals as ``0x0.…p-1022``, round-half-even).
"""

from __future__ import annotations

import math
import re
from typing import Any

from luavm.errors import LuaError
from luavm.lib.args import arg_error, check_int, check_number, check_str
from luavm.luanumbers import MININT

_MASK = (1 << 64) - 1
_SPAN = frozenset(b"-+#0 123456789.")  # L_FMTFLAGSF "123456789." as getformat spans it
MAX_FORMAT = 32
FLAGS_F = b"-+#0 "
FLAGS_X = b"-#0"
FLAGS_I = b"-+0 "
FLAGS_U = b"-0"
FLAGS_C = b"-"
_QUOTE_RX = re.compile(rb'["\\\n\x00-\x1f\x7f]')


def _error(msg: bytes) -> None:
    raise LuaError(msg, level=1)


def checkformat(form: bytes, flags: bytes, precision: bool) -> None:
    """PUC's checkformat: allowed flags, then at most 2 width digits, then '.' and at most 2
    precision digits (if allowed); anything else is an invalid specification."""
    i = 1
    while form[i] in flags:
        i += 1
    if form[i] != 48:  # a width cannot start with '0'
        for _ in range(2):
            if 48 <= form[i] <= 57:
                i += 1
        if form[i] == 46 and precision:
            i += 1
            for _ in range(2):
                if 48 <= form[i] <= 57:
                    i += 1
    c = form[i]
    if not (65 <= c <= 90 or 97 <= c <= 122):
        _error(b"invalid conversion specification: '" + form + b"'")


def parse_spec(form: bytes) -> tuple[str, int, int | None]:
    """Flags, width and precision (None if absent) of a checked specification."""
    i = 1
    while form[i] in FLAGS_F:
        i += 1
    flags = form[1:i].decode()
    j = i
    while 48 <= form[j] <= 57:
        j += 1
    width = int(form[i:j]) if j > i else 0
    prec = None
    if form[j] == 46:
        j += 1
        k = j
        while 48 <= form[k] <= 57:
            k += 1
        prec = int(form[j:k]) if k > j else 0
    return flags, width, prec


_SPECS: dict[bytes, tuple[str, int, int | None]] = {}


def checked_spec(form: bytes, flags: bytes, precision: bool) -> tuple[str, int, int | None]:
    """checkformat then parse_spec, remembered per specification (the conversion letter is
    part of ``form``, so the allowed flags are too)."""
    sp = _SPECS.get(form)
    if sp is None:
        checkformat(form, flags, precision)
        sp = parse_spec(form)
        if len(_SPECS) > 512:
            _SPECS.clear()
        _SPECS[form] = sp
    return sp


def _pad(body: str, flags: str, width: int, prefix: str = "", zero: bool = False) -> str:
    """Pad ``prefix + body`` to ``width``: left-justify on '-', zeros after the prefix when
    ``zero`` (the '0' flag where it applies), spaces before it otherwise."""
    n = width - len(prefix) - len(body)
    if n <= 0:
        return prefix + body
    if "-" in flags:
        return prefix + body + " " * n
    if zero:
        return prefix + "0" * n + body
    return " " * n + prefix + body


def format_int(n: int, conv: str, flags: str, width: int, prec: int | None) -> str:
    """C's %d %i %u %o %x %X of a 64-bit integer ('u', 'o', 'x' see it as unsigned)."""
    prefix = ""
    if conv in "di":
        if n < 0:
            prefix = "-"
        elif "+" in flags:
            prefix = "+"
        elif " " in flags:
            prefix = " "
        u = abs(n)
        digits = str(u)
    else:
        u = n & _MASK
        if conv == "u":
            digits = str(u)
        elif conv == "o":
            digits = "%o" % u
        elif conv == "x":
            digits = "%x" % u
        else:
            digits = "%X" % u
    if prec is not None:
        if prec == 0 and u == 0:
            digits = ""
        elif len(digits) < prec:
            digits = "0" * (prec - len(digits)) + digits
    if "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and u != 0:
            prefix = "0" + conv
    return _pad(digits, flags, width, prefix, "0" in flags and prec is None)


def _sign(x: float, flags: str) -> str:
    if math.copysign(1.0, x) < 0:
        return "-"
    if "+" in flags:
        return "+"
    if " " in flags:
        return " "
    return ""


def _nonfinite(x: float, conv: str, flags: str, width: int) -> str:
    body = "inf" if x == x else "nan"
    if conv.isupper():
        body = body.upper()
    return _pad(body, flags, width, _sign(x, flags))  # '0' does not apply to inf/nan


def format_hexfloat(x: float, flags: str = "", width: int = 0, prec: int | None = None, upper: bool = False) -> str:
    """glibc's %a: '0x1.8p+1'; subnormals '0x0.…p-1022'; with a precision, round half even
    without renormalizing (``%.0a`` of 1.5 is '0x2p+0')."""
    if x != x or x in (math.inf, -math.inf):
        return _nonfinite(x, "A" if upper else "a", flags, width)
    sign = _sign(x, flags)
    x = abs(x)
    if x == 0.0:
        lead, frac, exp = 0, 0, 0
    else:
        m, e = math.frexp(x)
        if e >= -1021:  # normal: 1.f * 2^(e-1)
            mant = int(m * (1 << 53))
            lead, frac, exp = 1, mant - (1 << 52), e - 1
        else:  # subnormal: 0.f * 2^-1022
            lead, frac, exp = 0, int(math.ldexp(x, 1074)), -1022
    if prec is None:
        digits = "%013x" % frac
        digits = digits.rstrip("0")
    elif prec >= 13:
        digits = "%013x" % frac + "0" * (prec - 13)
    else:
        shift = 4 * (13 - prec)
        q, r = divmod(frac, 1 << shift)
        half = 1 << (shift - 1)
        if r > half or (r == half and ((q & 1) if prec else (lead & 1))):
            q += 1
            if q >> (4 * prec):
                lead += 1
                q = 0
        digits = "%0*x" % (prec, q) if prec else ""
    point = "." if digits or "#" in flags else ""
    body = "%d%s%sp%+d" % (lead, point, digits, exp)
    out = _pad(body, flags, width, sign + "0x", "0" in flags)
    return out.upper() if upper else out


def quote_string(s: bytes) -> bytes:
    """lstrlib's addquoted: '"', '\\' and newline escaped; control bytes as \\ddd (or \\d when
    the next byte is not a digit)."""

    def esc(m: re.Match) -> bytes:
        c = m.group()[0]
        if c in (34, 92, 10):
            return b"\\" + m.group()
        j = m.end()
        if j < len(s) and 48 <= s[j] <= 57:
            return b"\\%03d" % c
        return b"\\%d" % c

    return b'"' + _QUOTE_RX.sub(esc, s) + b'"'


def quote_literal(rt: Any, args: tuple, arg: int) -> bytes:
    """lstrlib's addliteral: the value as Lua source that reads back the same value."""
    v = args[arg - 1]
    t = type(v)
    if t is bytes:
        return quote_string(v)
    if t is int:
        if v == MININT:
            return b"0x8000000000000000"
        return b"%d" % v
    if t is float:
        if v == math.inf:
            return b"1e9999"
        if v == -math.inf:
            return b"-1e9999"
        if v != v:
            return b"(0/0)"
        return format_hexfloat(v).encode()
    if v is None or t is bool:
        return rt.tostring(v)
    arg_error(arg, "format", "value has no literal form")


def _pointer(rt: Any, v: Any) -> str | None:
    """lua_topointer: an address for strings and collectable values, NULL for the rest."""
    if v is None or type(v) in (bool, int, float):
        return None
    return rt.address(v)  # as tostring() shows addresses


def str_format(rt: Any, args: tuple) -> bytes:
    """``string.format(fmt, ...)``."""
    fmt = check_str(args, 1, "format")
    top = len(args)
    arg = 1
    parts: list[bytes] = []
    size = 0  # bytes in parts
    acct = 0  # bytes already charged and announced to rt.alloc
    nitems = 0  # conversions not yet charged (one instruction each)
    i = 0
    n = len(fmt)
    while i < n:
        j = fmt.find(b"%", i)
        if j < 0:
            parts.append(fmt[i:])
            size += n - i
            break
        if j > i:
            parts.append(fmt[i:j])
            size += j - i
        j += 1
        if j < n and fmt[j] == 37:
            parts.append(b"%")
            size += 1
            i = j + 1
            continue
        arg += 1
        if arg > top:
            arg_error(arg, "format", "no value")
        k = j
        while k < n and fmt[k] in _SPAN:
            k += 1
        if k - j + 1 >= MAX_FORMAT - 10:
            _error(b"invalid format (too long)")
        form = b"%" + fmt[j : k + 1]  # at the end, C copies the '\0' and prints up to it
        conv = chr(fmt[k]) if k < n else ""
        i = k + 1
        if conv == "c":
            flags, width, _ = checked_spec(form, FLAGS_C, False)
            c = check_int(args, arg, "format")
            piece = bytes([c & 255])
            if width > 1:
                pad = b" " * (width - 1)
                piece = piece + pad if "-" in flags else pad + piece
        elif conv in ("d", "i", "u", "o", "x", "X"):
            v = check_int(args, arg, "format")
            if len(form) == 2 and conv in ("d", "i"):
                piece = b"%d" % v
            else:
                flags, width, prec = checked_spec(
                    form, FLAGS_I if conv in "di" else FLAGS_U if conv == "u" else FLAGS_X, True
                )
                piece = format_int(v, conv, flags, width, prec).encode()
        elif conv in ("a", "A"):
            flags, width, prec = checked_spec(form, FLAGS_F, True)
            x = float(check_number(args, arg, "format"))
            piece = format_hexfloat(x, flags, width, prec, conv == "A").encode()
        elif conv in ("e", "E", "f", "g", "G"):
            x = float(check_number(args, arg, "format"))
            flags, width, _ = checked_spec(form, FLAGS_F, True)
            if x - x == 0.0:  # finite: Python's printf-style operator follows C here
                piece = form % x
            else:
                piece = _nonfinite(x, conv, flags, width).encode()
        elif conv == "p":
            flags, width, _ = checked_spec(form, FLAGS_C, False)
            ptr = _pointer(rt, args[arg - 1])
            piece = _pad(ptr if ptr is not None else "(null)", flags, width).encode()
        elif conv == "q":
            if len(form) > 2:
                _error(b"specifier '%q' cannot have modifiers")
            piece = quote_literal(rt, args, arg)
        elif conv == "s":
            s = rt.tostring(args[arg - 1])
            if len(form) == 2:
                piece = s
            else:
                if b"\0" in s:
                    arg_error(arg, "format", "string contains zeros")
                flags, width, prec = checked_spec(form, FLAGS_C, True)
                if b"." not in form and len(s) >= 100:
                    piece = s  # no precision and too long to be formatted: kept whole
                else:
                    if prec is not None:
                        s = s[:prec]
                    pad = width - len(s)
                    if pad > 0:
                        s = s + b" " * pad if "-" in flags else b" " * pad + s
                    piece = s
        else:
            _error(b"invalid conversion '" + form.split(b"\0")[0] + b"' to 'format'")
        parts.append(piece)
        size += len(piece)
        nitems += 1
        if nitems >= 256 or size - acct >= 4096:  # charge while a long format runs
            rt.charge(nitems)
            nitems = 0
            d = size - acct
            if d >= 4096:
                rt.charge(d >> 4)
                rt.alloc(d)
                acct = size
    rt.charge(1 + nitems + (n >> 4) + ((size - acct) >> 4))
    if size > 64:
        rt.alloc(size - acct)
    return b"".join(parts)
