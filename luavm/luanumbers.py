"""Lua number semantics in Python: 64-bit integer wraparound, float rules, and the
number <-> string conversions exactly as PUC Lua 5.4 does them (``%.14g``, ``l_str2d``).
"""

from __future__ import annotations

import math
import re

from luavm.errors import LuaError

MAXINT = (1 << 63) - 1
MININT = -(1 << 63)
_MASK = (1 << 64) - 1
_HALF = 1 << 63

INF = float("inf")
# The x86 "default NaN" produced by invalid operations has its sign bit set; Lua prints it
# as "-nan". Computing it (rather than float("nan")) keeps our NaNs bit-identical to PUC's.
DEFAULT_NAN = INF - INF


def wrap(i: int) -> int:
    """Reduce a Python int to Lua's signed 64-bit range (two's complement wraparound)."""
    if MININT <= i <= MAXINT:
        return i
    return ((i + _HALF) & _MASK) - _HALF


def float2int(f: float) -> int | None:
    """The integer with exactly the value of ``f``, or None (non-integral, inf, nan, out of range)."""
    if f.is_integer() and -9.3e18 < f < 9.3e18:
        i = int(f)
        if MININT <= i <= MAXINT:
            return i
    return None


def float_floor_int(f: float) -> int | None:
    """floor(f) as an integer when it fits (for-loop limits, math.floor)."""
    if f != f or f in (INF, -INF):
        return None
    i = math.floor(f)
    return i if MININT <= i <= MAXINT else None


# ------------------------------------------------------------------ arithmetic


def int_idiv(a: int, b: int) -> int:
    if b == 0:
        raise LuaError("attempt to divide by zero", level=0)
    return wrap(a // b)


def int_mod(a: int, b: int) -> int:
    if b == 0:
        raise LuaError("attempt to perform 'n%0'", level=0)
    return a % b  # Python's % is already floor modulo, and |result| < |b| fits


def float_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a:
            return a
        if a == 0.0:
            return DEFAULT_NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def float_mod(a: float, b: float) -> float:
    if b == 0.0 or a in (INF, -INF) or a != a or b != b:
        if a != a:
            return a
        if b != b:
            return b
        return DEFAULT_NAN
    if b in (INF, -INF):
        m = a
    else:
        m = math.fmod(a, b)
    if (m > 0 and b < 0) or (m < 0 and b > 0):  # luai_nummod: the result takes b's sign
        m += b
    return m


def float_idiv(a: float, b: float) -> float:
    q = float_div(a, b)
    if q != q or q in (INF, -INF):
        return q
    r = float(math.floor(q))
    return math.copysign(r, q) if r == 0.0 else r  # C floor keeps the sign of -0.0


def float_pow(a: float, b: float) -> float:
    """C's ``pow`` as PUC uses it for ``^`` and ``math.pow``, including the zero and NaN cases."""
    if a != a and b != 0.0 or b != b and a != 1.0:
        return a + b  # pow(nan, 0) == pow(1, nan) == 1, otherwise the NaN propagates
    try:
        return math.pow(a, b)
    except OverflowError:
        if a < 0 and b.is_integer() and int(b) % 2 == 1:
            return -INF
        return INF
    except ValueError:
        if a == 0.0:  # pow(±0, negative): ±inf for odd integral exponents, +inf otherwise
            if b.is_integer() and int(b) % 2 == 1:
                return math.copysign(INF, a)
            return INF
        return DEFAULT_NAN  # negative base, non-integral exponent


def shift_left(a: int, n: int) -> int:
    if n <= -64 or n >= 64:
        return 0
    if n >= 0:
        return wrap((a << n) & _MASK)
    return wrap((a & _MASK) >> -n)


def shift_right(a: int, n: int) -> int:
    return shift_left(a, -n) if n != MININT else 0


def ult(a: int, b: int) -> bool:
    return (a & _MASK) < (b & _MASK)


# ------------------------------------------------------------------ number -> string


def float2str(f: float) -> bytes:
    """``tostring`` of a float: ``%.14g``, with ``.0`` added when it would read as an integer."""
    if f != f:
        return b"-nan" if math.copysign(1.0, f) < 0 else b"nan"
    if f == INF:
        return b"inf"
    if f == -INF:
        return b"-inf"
    s = "%.14g" % f
    if "." not in s and "e" not in s and "n" not in s:
        s += ".0"
    return s.encode()


def number2str(v: int | float) -> bytes:
    if type(v) is int:
        return str(v).encode()
    return float2str(v)


# ------------------------------------------------------------------ string -> number

_SPACE = b" \t\n\v\f\r"
_DEC_INT = re.compile(rb"[0-9]+\Z")
_DEC_FLOAT = re.compile(rb"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_HEX_NUM = re.compile(rb"0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([-+]?[0-9]+))?\Z")
_BIG_EXPONENT = 1 << 20  # past this a binary exponent only means "overflow" or "underflow"


def str2number(s: bytes) -> int | float | None:
    """Lua's string->number conversion (``lua_stringtonumber``): None if ``s`` is not a numeral."""
    s = s.strip(_SPACE)
    if not s or b"\0" in s:
        return None
    neg = s[:1] == b"-"
    body = s[1:] if neg or s[:1] == b"+" else s
    if neg and body.lstrip(b"0") == b"9223372036854775808":
        return MININT  # l_str2int accepts one more in magnitude for a negative numeral
    v = numeral(body)
    if v is None or not neg:
        return v
    return wrap(-v) if type(v) is int else -v


def numeral(s: bytes) -> int | float | None:
    """The value of an unsigned numeral (``l_str2int`` then ``l_str2d``), the one definition the
    lexer and ``tonumber`` share. Never calls ``int()`` on a long decimal digit string (Python
    refuses more than 4300 digits): a decimal integer past 19 digits overflows to a float, and
    only the last 16 digits of a hex integer matter (it wraps modulo 2^64)."""
    if _DEC_INT.match(s):
        if len(s.lstrip(b"+-").lstrip(b"0")) > 19:  # past 2^63 (and Python's 4300-digit int() limit)
            return float(s)
        i = int(s)
        return i if i <= MAXINT else float(s)
    if _DEC_FLOAT.match(s):
        return float(s)  # float() has no digit limit, and rounds correctly
    m = _HEX_NUM.match(s)
    if m is None:
        return None
    whole, frac, exp = m.group(1), m.group(2), m.group(3)
    if frac is None and exp is None:
        if not whole:
            return None
        return wrap(int(whole[-16:], 16))  # hex integers wrap around modulo 2^64
    frac = frac or b""
    if not whole and not frac:
        return None
    mant = int(whole + frac, 16)  # a power-of-two base: no digit limit
    if mant == 0:
        return 0.0
    e = _exponent(exp) - 4 * len(frac)
    if e >= 0:
        if mant.bit_length() + e > 1100:
            return INF
        return float(mant << e)
    if mant.bit_length() + e < -1100:
        return 0.0
    try:
        return mant / (1 << -e)  # int true division rounds correctly
    except OverflowError:
        return INF


def _exponent(exp: bytes | None) -> int:
    if exp is None:
        return 0
    digits = exp.lstrip(b"+-").lstrip(b"0")
    n = int(digits or b"0") if len(digits) <= 7 else _BIG_EXPONENT
    return -n if exp[:1] == b"-" else n


def tointeger(v: object) -> int | None:
    """Lua's ``lua_tointeger`` in mode "exact": ints, integral floats and numeric strings."""
    t = type(v)
    if t is int:
        return v
    if t is float:
        return float2int(v)
    if t is bytes:
        n = str2number(v)
        return tointeger(n) if n is not None else None
    return None


def tonumber(v: object) -> int | float | None:
    """Lua's coercion of a value to a number for arithmetic: numbers and numeric strings."""
    t = type(v)
    if t is int or t is float:
        return v
    if t is bytes:
        return str2number(v)
    return None
