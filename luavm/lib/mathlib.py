"""The Lua 5.4 ``math`` library (lmathlib.c), including its xoshiro256** generator.

Results keep Lua's integer/float subtypes exactly: floor/ceil/modf give integers when the
value fits, abs and fmod stay integer on integers, max/min return the chosen argument as is.
C's libm reports domain errors with a NaN (whose sign PUC prints: "-nan" or "nan") where
Python raises; the ``_c*`` wrappers return what glibc returns on x86-64, as lua5.4 prints it.
The deprecated 5.3 functions (atan2, cosh, sinh, tanh, pow, frexp, ldexp, log10) are included
because the reference lua5.4 is built with LUA_COMPAT_MATHLIB.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

from luavm.errors import LuaError
from luavm.lib.args import arg_error, check_any, check_int, check_number, opt_int
from luavm.luanumbers import DEFAULT_NAN, INF, MAXINT, MININT, float_div, float_floor_int, float_pow, wrap
from luavm.table import LuaTable

_M64 = (1 << 64) - 1
PNAN = float("nan")  # a positive NaN: glibc's asin/acos/log10 domain errors give this one
_TWO_M53 = 2.0 ** -53


def _isnan(x: float) -> bool:
    return x != x


def _fit_int(f: float) -> int | float:
    """pushnumint/luaV_flttointns: an integer if the (integral) float fits, else the float."""
    if f == f and -9.3e18 < f < 9.3e18:
        i = int(f)
        if MININT <= i <= MAXINT:
            return i
    return f


# ------------------------------------------------------------------ libm with C semantics


def _c1(fn: Any, domain_nan: float, overflow: float | None = None) -> Any:
    """Wrap a one-argument math function: NaN in gives that NaN back, a domain error gives
    ``domain_nan``, an overflow gives ``overflow`` (signed like the argument if it is None)."""
    def f(x: float) -> float:
        try:
            return fn(x)
        except ValueError:
            return x if x != x else domain_nan
        except OverflowError:
            if overflow is not None:
                return overflow
            return math.copysign(INF, x)
    return f


_sin = _c1(math.sin, DEFAULT_NAN)
_cos = _c1(math.cos, DEFAULT_NAN)
_tan = _c1(math.tan, DEFAULT_NAN)
_asin = _c1(math.asin, PNAN)
_acos = _c1(math.acos, PNAN)
_sqrt = _c1(math.sqrt, DEFAULT_NAN)
_exp = _c1(math.exp, DEFAULT_NAN, INF)
_cosh = _c1(math.cosh, DEFAULT_NAN, INF)
_sinh = _c1(math.sinh, DEFAULT_NAN)
_tanh = _c1(math.tanh, DEFAULT_NAN)


def _logf(fn: Any, domain_nan: float) -> Any:
    def f(x: float) -> float:
        if x == 0.0:
            return -INF
        try:
            return fn(x)
        except ValueError:
            return x if x != x else domain_nan
    return f


_log = _logf(math.log, DEFAULT_NAN)
_log2 = _logf(math.log2, DEFAULT_NAN)
_log10 = _logf(math.log10, PNAN)


def _fmod(a: float, b: float) -> float:
    if a != a:
        return a
    if b != b:
        return b
    if b == 0.0 or a in (INF, -INF):
        return DEFAULT_NAN
    return math.fmod(a, b)


def _atan2(y: float, x: float) -> float:
    if y != y or x != x:
        return x + y  # glibc returns x + y: the NaN operand (and its sign); Python gives +nan
    return math.atan2(y, x)


def _floor_or_ceil(x: int | float, up: bool) -> int | float:
    if type(x) is int:
        return x
    if x != x or x in (INF, -INF):
        return x
    f = float(math.ceil(x) if up else math.floor(x))
    i = float_floor_int(f)
    return i if i is not None else f


# ------------------------------------------------------------------ xoshiro256**


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _M64


class Xoshiro256:
    """Lua 5.4's generator (lmathlib.c): xoshiro256** over four 64-bit words."""

    __slots__ = ("s",)

    def __init__(self) -> None:
        self.s = [0, 0, 0, 0]

    def next(self) -> int:
        s = self.s
        s0, s1, s2, s3 = s
        res = (_rotl((s1 * 5) & _M64, 7) * 9) & _M64
        t = (s1 << 17) & _M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 45)
        s[0], s[1], s[2], s[3] = s0, s1, s2, s3
        return res

    def seed(self, n1: int, n2: int) -> None:
        """setseed: the state from two integers, then 16 values discarded to spread the seed."""
        self.s = [n1 & _M64, 0xFF, n2 & _M64, 0]
        for _ in range(16):
            self.next()

    def project(self, ran: int, n: int) -> int:
        """A value in [0, n] from ``ran`` without bias (5.4.4: mask, redraw while too big)."""
        if n & (n + 1) == 0:
            return ran & n
        lim = n
        lim |= lim >> 1
        lim |= lim >> 2
        lim |= lim >> 4
        lim |= lim >> 8
        lim |= lim >> 16
        lim |= lim >> 32
        ran &= lim
        while ran > n:
            ran = self.next() & lim
        return ran


# ------------------------------------------------------------------ the library


def open_math(rt: Any) -> LuaTable:
    """Build the ``math`` library table for runtime ``rt``."""
    gen = Xoshiro256()
    gen.seed(int(time.time()), id(gen) ^ os.getpid())

    def m_abs(*args: Any) -> tuple:
        x = args[0] if args else None
        if type(x) is int:  # lua_isinteger: a numeric string takes the float path
            return (wrap(-x) if x < 0 else x,)
        return (math.fabs(check_number(args, 1, "abs")),)

    def m_ceil(*args: Any) -> tuple:
        return (_floor_or_ceil(check_number(args, 1, "ceil"), True),)

    def m_floor(*args: Any) -> tuple:
        return (_floor_or_ceil(check_number(args, 1, "floor"), False),)

    def m_fmod(*args: Any) -> tuple:
        a = args[0] if args else None
        b = args[1] if len(args) > 1 else None
        if type(a) is int and type(b) is int:
            if b == 0:
                arg_error(2, "fmod", "zero")
            if b == -1:
                return (0,)
            r = abs(a) % abs(b)  # C's truncating %: the sign follows the dividend
            return (-r if a < 0 else r,)
        x = float(check_number(args, 1, "fmod"))
        y = float(check_number(args, 2, "fmod"))
        return (_fmod(x, y),)

    def m_modf(*args: Any) -> tuple:
        x = args[0] if args else None
        if type(x) is int:
            return (x, 0.0)
        n = float(check_number(args, 1, "modf"))
        if n != n:
            return (n, n)
        if n in (INF, -INF):
            return (n, 0.0)
        ip = float(math.ceil(n) if n < 0 else math.floor(n))
        return (_fit_int(ip), 0.0 if n == ip else n - ip)

    def m_sqrt(*args: Any) -> tuple:
        if args and type(x := args[0]) is float and x >= 0.0:  # the common case: no NaN, no domain error
            return (math.sqrt(x),)
        return (_sqrt(float(check_number(args, 1, "sqrt"))),)

    def m_exp(*args: Any) -> tuple:
        return (_exp(float(check_number(args, 1, "exp"))),)

    def m_log(*args: Any) -> tuple:
        x = float(check_number(args, 1, "log"))
        if len(args) < 2 or args[1] is None:
            return (_log(x),)
        base = float(check_number(args, 2, "log"))
        if base == 2.0:
            return (_log2(x),)
        if base == 10.0:
            return (_log10(x),)
        return (float_div(_log(x), _log(base)),)

    def m_sin(*args: Any) -> tuple:
        return (_sin(float(check_number(args, 1, "sin"))),)

    def m_cos(*args: Any) -> tuple:
        return (_cos(float(check_number(args, 1, "cos"))),)

    def m_tan(*args: Any) -> tuple:
        return (_tan(float(check_number(args, 1, "tan"))),)

    def m_asin(*args: Any) -> tuple:
        return (_asin(float(check_number(args, 1, "asin"))),)

    def m_acos(*args: Any) -> tuple:
        return (_acos(float(check_number(args, 1, "acos"))),)

    def m_atan(*args: Any) -> tuple:
        y = float(check_number(args, 1, "atan"))
        x = args[1] if len(args) > 1 and args[1] is not None else None
        x = 1.0 if x is None else float(check_number(args, 2, "atan"))
        return (_atan2(y, x),)

    def m_deg(*args: Any) -> tuple:
        return (float(check_number(args, 1, "deg")) * (180.0 / math.pi),)

    def m_rad(*args: Any) -> tuple:
        return (float(check_number(args, 1, "rad")) * (math.pi / 180.0),)

    def m_tointeger(*args: Any) -> tuple:
        from luavm.luanumbers import tointeger

        v = args[0] if args else None
        n = tointeger(v)
        if n is not None:
            return (n,)
        check_any(args, 1, "tointeger")
        return (None,)

    def m_type(*args: Any) -> tuple:
        v = check_any(args, 1, "type")
        t = type(v)
        if t is int:
            return (b"integer",)
        if t is float:
            return (b"float",)
        return (None,)

    def m_ult(*args: Any) -> tuple:
        a = check_int(args, 1, "ult")
        b = check_int(args, 2, "ult")
        return ((a & _M64) < (b & _M64),)

    def _minmax(args: tuple, fname: str, want_max: bool) -> tuple:
        if not args:
            arg_error(1, fname, "value expected")
        best = args[0]
        lt = rt.lt
        for v in args[1:]:
            if (lt(best, v) if want_max else lt(v, best)):
                best = v
        return (best,)

    def m_max(*args: Any) -> tuple:
        return _minmax(args, "max", True)

    def m_min(*args: Any) -> tuple:
        return _minmax(args, "min", False)

    def m_random(*args: Any) -> tuple:
        rv = gen.next()
        nargs = len(args)
        if nargs == 0:
            return ((rv >> 11) * _TWO_M53,)
        if nargs == 1:
            low = 1
            up = check_int(args, 1, "random")
            if up == 0:
                return (wrap(rv),)
        elif nargs == 2:
            low = check_int(args, 1, "random")
            up = check_int(args, 2, "random")
        else:
            raise LuaError("wrong number of arguments", level=1)
        if not low <= up:
            arg_error(1, "random", "interval is empty")
        p = gen.project(rv, (up - low) & _M64)
        return (wrap(p + low),)

    def m_randomseed(*args: Any) -> tuple:
        if not args:
            n1, n2 = int(time.time()), id(gen) ^ time.perf_counter_ns()
        else:
            n1 = check_int(args, 1, "randomseed")
            n2 = opt_int(args, 2, "randomseed", 0)
        gen.seed(n1, n2)
        return (wrap(n1 & _M64), wrap(n2 & _M64))

    # 5.3 compatibility functions (LUA_COMPAT_MATHLIB, on in the reference lua5.4)

    def m_cosh(*args: Any) -> tuple:
        return (_cosh(float(check_number(args, 1, "cosh"))),)

    def m_sinh(*args: Any) -> tuple:
        return (_sinh(float(check_number(args, 1, "sinh"))),)

    def m_tanh(*args: Any) -> tuple:
        return (_tanh(float(check_number(args, 1, "tanh"))),)

    def m_pow(*args: Any) -> tuple:
        x = float(check_number(args, 1, "pow"))
        y = float(check_number(args, 2, "pow"))
        return (float_pow(x, y),)

    def m_frexp(*args: Any) -> tuple:
        x = float(check_number(args, 1, "frexp"))
        if x != x or x in (INF, -INF):
            return (x, 0)
        m, e = math.frexp(x)
        return (m, e)

    def m_ldexp(*args: Any) -> tuple:
        x = float(check_number(args, 1, "ldexp"))
        e = check_int(args, 2, "ldexp")
        e = max(-(1 << 31), min(e, (1 << 31) - 1))  # C passes an int
        try:
            return (math.ldexp(x, e),)
        except OverflowError:
            return (math.copysign(INF, x),)

    def m_log10(*args: Any) -> tuple:
        return (_log10(float(check_number(args, 1, "log10"))),)

    lib = LuaTable()
    for name, fn in (
        ("abs", m_abs), ("ceil", m_ceil), ("cos", m_cos), ("deg", m_deg), ("exp", m_exp),
        ("tointeger", m_tointeger), ("floor", m_floor), ("fmod", m_fmod), ("ult", m_ult),
        ("log", m_log), ("max", m_max), ("min", m_min), ("modf", m_modf), ("rad", m_rad),
        ("sin", m_sin), ("sqrt", m_sqrt), ("tan", m_tan), ("type", m_type), ("asin", m_asin),
        ("acos", m_acos), ("atan", m_atan), ("atan2", m_atan), ("random", m_random),
        ("randomseed", m_randomseed),
        ("cosh", m_cosh), ("sinh", m_sinh), ("tanh", m_tanh), ("pow", m_pow), ("frexp", m_frexp),
        ("ldexp", m_ldexp), ("log10", m_log10),
    ):
        lib[name.encode()] = fn
    lib[b"pi"] = math.pi
    lib[b"huge"] = INF
    lib[b"maxinteger"] = MAXINT
    lib[b"mininteger"] = MININT
    return lib
