"""The slow paths of every Lua operator: metamethods, coercions and Lua's error messages.

Generated code inlines the common case of each operation (two ints, a plain table hit, a Lua
function call) and calls into ``Operators`` for everything else. ``Operators`` is bound to one
runtime because some semantics are per runtime: the string metatable and the meter that
charges metamethod chains. ``desc`` arguments name the operand for messages, e.g.
``"local 'x'"`` in ``attempt to index a nil value (local 'x')``.
"""

from __future__ import annotations

import math
from types import FunctionType
from typing import TYPE_CHECKING, Any, Callable, Iterator

from luavm.errors import LuaError
from luavm.lib.args import typename, typename_for_error as objtypename
from luavm.luanumbers import (
    MAXINT, MININT,
    float2int, float_div, float_idiv, float_mod, float_pow, int_idiv, int_mod,
    number2str, shift_left, shift_right, str2number, wrap,
)
from luavm.table import LuaTable, forget_order, lookup_key, next_key, norm_key, rawlen
from luavm.meter import SLOT_SIZE, SNAPSHOT_SHIFT, STRING_OVERHEAD
from luavm.userdata import Userdata

# the calling convention of compiled code (codegen.py): a non-vararg function accepts this
# many extra arguments, so most calls pass theirs without fitting them to the parameters
SPARE_PARAMS = 8

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

FT = FunctionType
MAXTAGLOOP = 2000
_MORE_HOPS = range(MAXTAGLOOP - 1)  # an __index chain's hops after the first
MAXCALLCHAIN = 200  # __call of a __call...: PUC runs out of stack about here
N1 = (None,)

_ARITH_EVENTS = {
    "+": b"__add", "-": b"__sub", "*": b"__mul", "/": b"__div", "%": b"__mod", "^": b"__pow",
    "//": b"__idiv", "&": b"__band", "|": b"__bor", "~": b"__bxor", "<<": b"__shl",
    ">>": b"__shr", "unm": b"__unm", "bnot": b"__bnot",
}
_ARITH_NAMES = {
    "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "^": "pow", "//": "idiv",
    "unm": "unm",
}
_BITWISE = frozenset(("&", "|", "~", "<<", ">>", "bnot"))


def _with(desc: str | None) -> str:
    return f" ({desc})" if desc else ""


CO_VARARGS = 0x04


def fit_args(f: FunctionType, args: tuple) -> tuple:
    """Drop the arguments a compiled Lua function has no parameter for (it has no *args)."""
    code = f.__code__
    if not code.co_flags & CO_VARARGS and len(args) > code.co_argcount:
        return args[:code.co_argcount]
    return args


def tramp(r: Any) -> tuple:
    """Run pending tail calls: a compiled function returns ``[f, *args]`` for ``return f(args)``."""
    while type(r) is list:
        f = r.pop(0)  # the list is the tail call's own: what is left are its arguments
        r = f(*r) if len(r) <= SPARE_PARAMS else f(*fit_args(f, tuple(r)))
    return r


def first(r: Any) -> Any:
    """The first value of a call's results (after tail calls), or nil."""
    if type(r) is list:
        r = tramp(r)
    return r[0] if r else None


def truth(v: Any) -> bool:
    return v is not None and v is not False


def _int_arith(op: str, a: int, b: int) -> int | float:
    if op == "+":
        return wrap(a + b)
    if op == "-":
        return wrap(a - b)
    if op == "*":
        return wrap(a * b)
    if op == "/":
        return float_div(float(a), float(b))
    if op == "%":
        return int_mod(a, b)
    if op == "//":
        return int_idiv(a, b)
    if op == "^":
        return float_pow(float(a), float(b))
    raise AssertionError(op)


def _float_arith(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return float_div(a, b)
    if op == "%":
        return float_mod(a, b)
    if op == "//":
        return float_idiv(a, b)
    if op == "^":
        return float_pow(a, b)
    raise AssertionError(op)


def arith_numbers(op: str, a: int | float, b: int | float) -> int | float:
    """Arithmetic on two Lua numbers with Lua's int/float rules."""
    if type(a) is int and type(b) is int:
        return _int_arith(op, a, b)
    return _float_arith(op, float(a), float(b))


def _toint_bitwise(v: Any) -> int | None:
    t = type(v)
    if t is int:
        return v
    if t is float:
        return float2int(v)
    return None


def bitwise_numbers(op: str, a: int, b: int) -> int:
    if op == "&":
        return a & b
    if op == "|":
        return a | b
    if op == "~":
        return wrap(a ^ b)
    if op == "<<":
        return shift_left(a, b)
    if op == ">>":
        return shift_right(a, b)
    raise AssertionError(op)


class Operators:
    """Operator semantics for one runtime. Methods are installed as globals of generated code."""

    def __init__(self, rt: LuaRuntime):
        self.rt = rt
        self.ns = getattr(rt, "ns", None)  # None for library tests' stand-in runtimes
        self.meter = getattr(rt, "meter", None)  # the hot paths account slots and strings inline
        self.string_meta: LuaTable | None = None  # set when the string library is opened
        self.type_meta: dict[str, LuaTable] = {}  # number, boolean, nil, function, thread

    # ------------------------------------------------------------ metatables

    def getmetatable(self, v: Any) -> LuaTable | None:
        t = type(v)
        if t is bytes:
            return self.string_meta
        if isinstance(v, (LuaTable, Userdata)):
            return v.meta
        if self.type_meta:
            return self.type_meta.get(typename(v))
        return None

    def set_type_metatable(self, v: Any, mt: LuaTable | None) -> None:
        """``debug.setmetatable`` on a value without its own metatable: one per basic type."""
        name = typename(v)
        if name == "string":
            self.string_meta = mt
        elif mt is None:
            self.type_meta.pop(name, None)
        else:
            self.type_meta[name] = mt

    def metamethod(self, v: Any, event: bytes) -> Any:
        mt = self.getmetatable(v)
        if mt is None:
            return None
        return mt.get(event)

    # ------------------------------------------------------------ calls

    def call(self, f: Any, *args: Any) -> tuple:
        """Call any Lua value; always returns a tuple of results."""
        if type(f) is not FT:
            f = self.callable_of(f, None)
        if len(args) > SPARE_PARAMS:
            args = fit_args(f, args)
        r = f(*args)
        if type(r) is list:
            r = tramp(r)
        return r

    def call_mm(self, h: Any, event: bytes, *args: Any) -> tuple:
        """Call metamethod ``h``; a non-callable one is "attempt to call ... (metamethod 'add')"."""
        if type(h) is not FT:
            h = self.callable_of(h, f"metamethod '{event[2:].decode()}'")
        r = h(*args)
        if type(r) is list:
            r = tramp(r)
        return r

    def callx(self, f: Any, desc: str | None, args: tuple) -> Any:
        """A call whose argument count is not known statically (``f(a, g())``, ``f(...)``).

        Passing n values copies them: charged 1 per 8 beyond the first 8, so a program whose
        argument lists keep growing pays for the copying it causes (a Lua vararg function
        charges it itself, on entry: see receives_varargs)."""
        if type(f) is not FT:
            f = self.callable_of(f, desc)
        n = len(args)
        if n > SPARE_PARAMS:
            if not self.receives_varargs(f):
                self.rt.charge(n >> 3)
            args = fit_args(f, args)
        return f(*args)

    def receives_varargs(self, f: Any) -> bool:
        """Whether ``f`` is compiled Lua code of a vararg function, which charges for the values
        it receives in ``...`` on entry (the compiler's ``_vach``)."""
        return getattr(f, "__globals__", None) is self.ns and bool(f.__code__.co_flags & CO_VARARGS)

    def callable_of(self, f: Any, desc: str | None) -> Callable[..., tuple]:
        """A Python callable for Lua value ``f``: itself, its ``__call`` metamethod, or an error."""
        if type(f) is FT:
            return f
        h, pre = self.call_target(f, desc)
        if not pre:
            return h
        call = self.call
        return lambda *args: call(h, *pre, *args)

    def call_target(self, f: Any, desc: str | None) -> tuple[Callable[..., tuple], tuple]:
        """``(h, prefix)``: calling Lua value ``f`` with ``args`` calls ``h(*prefix, *args)``
        (``__call`` chains add the called objects in front), or raises "attempt to call"."""
        h = self.metamethod(f, b"__call")
        if h is not None:
            # __call may itself be a callable table: follow the chain, each hop adding the
            # object as first argument, with PUC's bound (its stack would overflow).
            prefix = [f]
            while type(h) is not FT:
                self.rt.charge(1)
                if len(prefix) >= MAXCALLCHAIN:
                    raise LuaError("stack overflow", level=0)
                h2 = self.metamethod(h, b"__call")
                if h2 is None:
                    if callable(h) and not isinstance(h, (LuaTable, Userdata, type)):
                        break
                    raise LuaError(f"attempt to call a {objtypename(h)} value", level=0)
                prefix.insert(0, h)
                h = h2
            self.rt.charge(1)
            return h, tuple(prefix)
        if callable(f) and not isinstance(f, (LuaTable, Userdata, type)):
            return f, ()
        # Raised when called, not now: Lua evaluates the arguments before it finds that the
        # value cannot be called, and generated code evaluates this before the arguments.
        msg = f"attempt to call a {objtypename(f)} value{_with(desc)}"

        def not_callable(*_: Any) -> tuple:
            raise LuaError(msg, level=0)

        return not_callable, ()

    # ------------------------------------------------------------ indexing

    def index(self, o: Any, k: Any, desc: str | None = None) -> Any:
        """``o[k]`` with ``__index`` chains."""
        if type(o) is LuaTable:
            # The common slow case: a method found through a chain of __index tables (an
            # object, its class, the class's base...). Each hop is charged 1; as in PUC's
            # luaV_finishget, up to MAXTAGLOOP tables past ``o`` are looked in.
            key = lookup_key(k) if type(k) is bool else k
            v = o.get(key)
            if v is not None:
                return v
            mt = o.meta
            if mt is None:
                return None
            h = mt.get(b"__index")
            if type(h) is LuaTable:
                ns = self.ns
                # the first hop unrolled: a method in the object's class, the commonest case
                if ns is None:
                    self.rt.charge(1)
                else:
                    n = ns["_n"] = ns["_n"] + 1
                    if n > ns["_L"]:
                        self.rt.meter.check(1)
                v = h.get(key)
                if v is not None:
                    return v
                o = h
                desc = None
                for _ in _MORE_HOPS:
                    mt = o.meta
                    if mt is None:
                        return None
                    h = mt.get(b"__index")
                    if type(h) is not LuaTable:
                        if h is None:
                            return None
                        break  # a function or a value with metamethods: the general path, from o
                    if ns is None:
                        self.rt.charge(1)
                    else:
                        n = ns["_n"] = ns["_n"] + 1
                        if n > ns["_L"]:
                            self.rt.meter.check(1)
                    v = h.get(key)
                    if v is not None:
                        return v
                    o = h
                else:
                    raise LuaError("'__index' chain too long; possible loop", level=0)
            elif h is None:
                return None
        return self._index_general(o, k, desc)

    def _index_general(self, o: Any, k: Any, desc: str | None) -> Any:
        for _ in range(MAXTAGLOOP):
            if isinstance(o, LuaTable):
                v = o.get(lookup_key(k))
                if v is not None:
                    return v
                mt = o.meta
                if mt is None:
                    return None
                h = mt.get(b"__index")
                if h is None:
                    return None
            else:
                h = self.metamethod(o, b"__index")
                if h is None:
                    raise LuaError(f"attempt to index a {objtypename(o)} value{_with(desc)}", level=0)
            self.rt.charge(1)
            if type(h) is FT or (not isinstance(h, LuaTable) and self.metamethod(h, b"__call") is not None):
                r = self.call(h, o, k)
                return r[0] if r else None
            o = h
            desc = None
        raise LuaError("'__index' chain too long; possible loop", level=0)

    def setindex(self, o: Any, k: Any, v: Any, desc: str | None = None) -> None:
        """``o[k] = v`` with ``__newindex`` chains."""
        if type(o) is LuaTable and o.meta is None:
            # The common slow case: a new key (or a nil) in a plain table, e.g. t[#t + 1] = v.
            tk = type(k)
            key = k if (tk is int or tk is bytes) else norm_key(k)
            if v is None:
                o.pop(key, None)
            else:
                if key not in o:
                    meter = self.meter
                    if meter is None:
                        self.rt.alloc_slot(o)
                    else:  # rt.alloc_slot without its call: the snapshot goes, the slot counts
                        if o._order is not None:
                            forget_order(o)
                        meter.alloc(SLOT_SIZE)
                o[key] = v
            return
        for _ in range(MAXTAGLOOP):
            if isinstance(o, LuaTable):
                mt = o.meta
                if mt is None or (h := mt.get(b"__newindex")) is None or o.get(lookup_key(k)) is not None:
                    key = norm_key(k)
                    if v is None:
                        o.pop(key, None)
                    else:
                        if key not in o:
                            self.rt.alloc_slot(o)
                        o[key] = v
                    return
            else:
                h = self.metamethod(o, b"__newindex")
                if h is None:
                    raise LuaError(f"attempt to index a {objtypename(o)} value{_with(desc)}", level=0)
            self.rt.charge(1)
            if type(h) is FT or (not isinstance(h, LuaTable) and self.metamethod(h, b"__call") is not None):
                self.call(h, o, k, v)
                return
            o = h
            desc = None
        raise LuaError("'__newindex' chain too long; possible loop", level=0)

    # ------------------------------------------------------------ arithmetic

    def arith(self, op: str, a: Any, b: Any, da: str | None = None, db: str | None = None) -> Any:
        """Binary arithmetic/bitwise slow path: metamethods, string coercion, errors (as lvm.c)."""
        ta, tb = type(a), type(b)
        nums = (ta is int or ta is float) and (tb is int or tb is float)
        if op in _BITWISE:
            if nums:
                ia, ib = _toint_bitwise(a), _toint_bitwise(b)
                if ia is not None and ib is not None:
                    return bitwise_numbers(op, ia, ib)
        elif nums:
            return arith_numbers(op, a, b)
        h = self.metamethod(a, _ARITH_EVENTS[op])
        if h is None:
            h = self.metamethod(b, _ARITH_EVENTS[op])
        if h is not None:
            self.rt.charge(1)
            r = self.call_mm(h, _ARITH_EVENTS[op], a, b)
            return r[0] if r else None
        if op not in _BITWISE and (ta is bytes or tb is bytes):
            # Lua 5.4 does string arithmetic in the string library's metamethods (lstrlib.c).
            n = (len(a) if ta is bytes else 0) + (len(b) if tb is bytes else 0)
            if n > 64:
                self.rt.charge(n >> 4)  # converting a long numeral costs in proportion
            na = str2number(a) if ta is bytes else a
            nb = str2number(b) if tb is bytes else b
            if type(na) in (int, float) and type(nb) in (int, float):
                return arith_numbers(op, na, nb)
            raise LuaError(f"attempt to {_ARITH_NAMES[op]} a '{typename(a)}' with a '{typename(b)}'", level=0)
        if op in _BITWISE:
            if nums:  # luaG_tointerror: blame the operand that has no integer value
                d = da if _toint_bitwise(a) is None else db
                raise LuaError(f"number{_with(d)} has no integer representation", level=0)
            what = "perform bitwise operation on"
        else:
            what = "perform arithmetic on"
        bad, d = (b, db) if (ta is int or ta is float) else (a, da)
        raise LuaError(f"attempt to {what} a {objtypename(bad)} value{_with(d)}", level=0)

    def unm(self, a: Any, da: str | None = None) -> Any:
        ta = type(a)
        if ta is int:
            return wrap(-a)
        if ta is float:
            return -a
        h = self.metamethod(a, b"__unm")
        if h is not None:
            self.rt.charge(1)
            r = self.call_mm(h, b"__unm", a, a)
            return r[0] if r else None
        if ta is bytes:
            n = str2number(a)
            if n is not None:
                return wrap(-n) if type(n) is int else -n
            raise LuaError("attempt to unm a 'string' with a 'string'", level=0)
        raise LuaError(f"attempt to perform arithmetic on a {objtypename(a)} value{_with(da)}", level=0)

    def bnot(self, a: Any, da: str | None = None) -> Any:
        if type(a) is int or type(a) is float:
            i = _toint_bitwise(a)
            if i is not None:
                return wrap(~i)
        h = self.metamethod(a, b"__bnot")
        if h is not None:
            self.rt.charge(1)
            r = self.call_mm(h, b"__bnot", a, a)
            return r[0] if r else None
        if type(a) is float:
            raise LuaError(f"number{_with(da)} has no integer representation", level=0)
        raise LuaError(f"attempt to perform bitwise operation on a {objtypename(a)} value{_with(da)}", level=0)

    # ------------------------------------------------------------ concatenation and length

    def concat(self, a: Any, b: Any, da: str | None = None, db: str | None = None) -> Any:
        ta, tb = type(a), type(b)
        if (ta is bytes or ta is int or ta is float) and (tb is bytes or tb is int or tb is float):
            sa = a if ta is bytes else number2str(a)
            sb = b if tb is bytes else number2str(b)
            n = len(sa) + len(sb)
            meter = self.meter
            if meter is None:
                self.rt.alloc_string(n)
            else:  # rt.alloc_string without its call
                meter.alloc(STRING_OVERHEAD + n)
            if n >= 16:
                self.rt.charge(n >> 4)
            return sa + sb
        h = self.metamethod(a, b"__concat")
        if h is None:
            h = self.metamethod(b, b"__concat")
        if h is not None:
            self.rt.charge(1)
            r = self.call_mm(h, b"__concat", a, b)
            return r[0] if r else None
        if ta is bytes or ta is int or ta is float:
            bad, d = b, db
        else:
            bad, d = a, da
        raise LuaError(f"attempt to concatenate a {objtypename(bad)} value{_with(d)}", level=0)

    def concat_n(self, values: list, descs: tuple | None = None) -> Any:
        """``v1 .. v2 .. ... .. vn``: right-associative, joined in one allocation when possible."""
        if all(type(v) is bytes or type(v) is int or type(v) is float for v in values):
            parts = [v if type(v) is bytes else number2str(v) for v in values]
            n = sum(map(len, parts))
            self.rt.alloc_string(n)
            self.rt.charge(len(parts) + (n >> 4))
            return b"".join(parts)
        acc = values[-1]
        for i in range(len(values) - 2, -1, -1):
            d1 = descs[i] if descs else None
            d2 = descs[i + 1] if descs and i + 1 == len(values) - 1 else None
            acc = self.concat(values[i], acc, d1, d2)
        return acc

    def length(self, o: Any, desc: str | None = None) -> Any:
        t = type(o)
        if t is bytes:
            return len(o)
        if t is LuaTable and (o.meta is None or o.meta.get(b"__len") is None):
            return rawlen(o)
        h = self.metamethod(o, b"__len")
        if h is not None:
            self.rt.charge(1)
            r = self.call_mm(h, b"__len", o, o)
            return r[0] if r else None
        if isinstance(o, LuaTable):
            return rawlen(o)
        raise LuaError(f"attempt to get length of a {objtypename(o)} value{_with(desc)}", level=0)

    # ------------------------------------------------------------ comparison

    def eq(self, a: Any, b: Any) -> bool:
        if a is b:
            return type(a) is not float or a == a
        ta, tb = type(a), type(b)
        if ta is bool or tb is bool:
            return False
        if isinstance(a, (LuaTable, Userdata)) and isinstance(b, (LuaTable, Userdata)):
            h = self.metamethod(a, b"__eq")
            if h is None:
                h = self.metamethod(b, b"__eq")
            if h is None:
                return False
            self.rt.charge(1)
            r = self.call_mm(h, b"__eq", a, b)
            return bool(r) and r[0] is not None and r[0] is not False
        if (ta is int or ta is float) and (tb is int or tb is float):
            return a == b
        if ta is bytes and tb is bytes:
            return a == b
        return False

    def lt(self, a: Any, b: Any) -> bool:
        ta, tb = type(a), type(b)
        if (ta is int or ta is float) and (tb is int or tb is float):
            return a < b
        if ta is bytes and tb is bytes:
            return a < b
        return self._order_mm(b"__lt", a, b)

    def le(self, a: Any, b: Any) -> bool:
        ta, tb = type(a), type(b)
        if (ta is int or ta is float) and (tb is int or tb is float):
            return a <= b
        if ta is bytes and tb is bytes:
            return a <= b
        return self._order_mm(b"__le", a, b)

    def _order_mm(self, event: bytes, a: Any, b: Any) -> bool:
        h = self.metamethod(a, event)
        if h is None:
            h = self.metamethod(b, event)
        if h is not None:
            self.rt.charge(1)
            r = self.call_mm(h, event, a, b)
            return bool(r) and r[0] is not None and r[0] is not False
        if event == b"__le":  # LUA_COMPAT_LT_LE, on in Debian's lua5.4: a <= b as not (b < a)
            h = self.metamethod(b, b"__lt") or self.metamethod(a, b"__lt")
            if h is not None:
                self.rt.charge(1)
                r = self.call_mm(h, b"__le", b, a)
                return not (bool(r) and r[0] is not None and r[0] is not False)
        t1, t2 = objtypename(a), objtypename(b)
        if t1 == t2:
            raise LuaError(f"attempt to compare two {t1} values", level=0)
        raise LuaError(f"attempt to compare {t1} with {t2}", level=0)

    # ------------------------------------------------------------ tostring

    def tostring(self, v: Any) -> bytes:
        """Lua's ``tostring``: ``__tostring``, then ``__name``, then the default form."""
        t = type(v)
        if t is bytes:
            return v
        if t is int or t is float:
            return number2str(v)
        if v is None:
            return b"nil"
        if t is bool:
            return b"true" if v else b"false"
        mt = self.getmetatable(v)
        if mt is not None:
            h = mt.get(b"__tostring")
            if h is not None:
                r = self.call(h, v)
                s = r[0] if r else None
                if type(s) is not bytes:
                    if type(s) in (int, float):
                        return number2str(s)
                    raise LuaError("'__tostring' must return a string", level=1)  # luaL_error
                return s
            name = mt.get(b"__name")
            if type(name) is bytes:
                return b"%s: %s" % (name, self.rt.address(v).encode())
        return f"{typename(v)}: {self.rt.address(v)}".encode()

    # ------------------------------------------------------------ loops

    def forprep(self, a: Any, b: Any, c: Any) -> Any:
        """The values of a numeric ``for`` (lvm.c forprep): a ``range`` for integer loops."""
        if c is None:
            c = 1
        if type(a) is int and type(c) is int:
            if c == 0:
                raise LuaError("'for' step is zero", level=0)
            if type(b) is not int:
                b = self._for_limit(b, c)
                if b is None:
                    return ()
            return range(a, b + 1, c) if c > 0 else range(a, b - 1, c)
        b = self._for_num(b, "limit")
        c = self._for_num(c, "step")
        a = self._for_num(a, "initial value")
        if c == 0:
            raise LuaError("'for' step is zero", level=0)
        return _float_range(float(a), float(b), float(c))

    def _for_num(self, v: Any, what: str) -> int | float:
        if type(v) is int or type(v) is float:
            return v
        if type(v) is bytes:
            n = str2number(v)
            if n is not None:
                return n
        raise LuaError(f"bad 'for' {what} (number expected, got {objtypename(v)})", level=0)

    def _for_limit(self, b: Any, step: int) -> int | None:
        """Clip a non-integer limit of an integer loop (``forlimit`` in lvm.c); None: no iterations."""
        b = self._for_num(b, "limit")
        if type(b) is int:
            return b
        if b != b:
            return None
        if b in (math.inf, -math.inf):
            f = b
        else:
            f = math.floor(b) if step > 0 else math.ceil(b)
        if f > MAXINT:  # out of the integer range: the loop runs to the extreme or not at all
            return None if step < 0 else MAXINT
        if f < MININT:
            return None if step > 0 else MININT
        return int(f)

    def genfor(self, f: Any, s: Any, c: Any, nvars: int) -> Iterator[Any]:
        """A generic ``for``'s sequence of values; plain ``pairs``/``ipairs`` run natively."""
        rt = self.rt
        if f is rt.lua_next and type(s) is LuaTable and c is None:
            rt.charge(len(s) >> SNAPSHOT_SHIFT)  # the loop copies the keys first
            return _pairs_iter(s, nvars)
        if f is rt.ipairs_iter and type(s) is LuaTable and c == 0 and s.meta is None:
            return _ipairs_iter(s, nvars)
        return self._generic_iter(f, s, c, nvars)

    def _generic_iter(self, f: Any, s: Any, c: Any, nvars: int) -> Iterator[Any]:
        if type(f) is not FT:
            f = self.callable_of(f, "for iterator 'for iterator'")
        while True:
            r = f(s, c)
            if type(r) is list:
                r = tramp(r)
            c = r[0] if r else None
            if c is None:
                return
            if nvars == 1:
                yield c
            elif nvars == 2:
                yield (c, r[1] if len(r) > 1 else None)
            else:
                n = len(r)
                yield tuple(r[i] if i < n else None for i in range(nvars))


def _float_range(a: float, b: float, c: float) -> Iterator[float]:
    if c > 0:
        while a <= b:
            yield a
            a += c
    else:
        while a >= b:
            yield a
            a += c


def _pairs_iter(t: LuaTable, nvars: int) -> Iterator[Any]:
    from luavm.table import denorm_key

    for k in list(t):
        v = t.get(k)
        if v is None:
            continue
        if nvars == 1:
            yield denorm_key(k)
        elif nvars == 2:
            yield (denorm_key(k), v)
        else:
            yield (denorm_key(k), v) + (None,) * (nvars - 2)


def _ipairs_iter(t: LuaTable, nvars: int) -> Iterator[Any]:
    i = 1
    get = t.get
    while True:
        v = get(i)
        if v is None:
            return
        if nvars == 1:
            yield i
        elif nvars == 2:
            yield (i, v)
        else:
            yield (i, v) + (None,) * (nvars - 2)
        i += 1


def table_next(t: LuaTable, k: Any, on_snapshot: Any = None) -> tuple:
    r = next_key(t, k, on_snapshot)
    return r if r is not None else N1
