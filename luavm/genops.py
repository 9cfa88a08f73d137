"""Generator mode: how Lua code runs inside a coroutine without a thread of its own.

The compiler writes every Lua function twice (compile/codegen.py): the plain Python function used
everywhere, and a generator *twin* with the same body in which every call is
``(yield from _gf(f, desc)(args))`` and every operator slow path that may run a metamethod is
``(yield from _gidx(...))`` and so on. A coroutine runs its body's twin (coroutine.py); a
``coroutine.yield`` reached through any chain of such calls is one Python ``yield`` that
travels up the ``yield from`` chain to ``Coroutine.resume``, which gets the values from
``gen.send``. Code outside coroutines never touches this module.

What may yield, as in Lua 5.4: Lua functions, metamethods run by operators (``__index``,
``__newindex``, arithmetic, ``__concat``, comparisons, ``__len``, ``__call``, ``__close``),
generic ``for`` iterators, and the builtins that have a generator variant (``pcall``,
``xpcall``, ``coroutine.yield``: each stores it as its ``_g`` attribute). Any other builtin is
called plainly, so Lua code it calls back (a sort comparator, a gsub callback, a load reader,
``__tostring`` from ``print``) runs as plain functions: a yield there is refused with
"attempt to yield across a C-call boundary", exactly where PUC refuses.

Twins are built lazily: ``_gf(f)`` makes the twin of a compiled function the first time it is
called inside a coroutine, from the twin's code object (``twin_code``: the runtime compiles the
twins of a whole chunk the first time a coroutine needs one of them) and the plain function's
closure cells (same free variables, mapped by name), and caches it as ``f._g``.
"""

from __future__ import annotations

from types import CodeType, FunctionType
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterator

from luavm.errors import LuaError
from luavm.ops import _ARITH_EVENTS, FT, MAXTAGLOOP, SPARE_PARAMS, _ipairs_iter, _pairs_iter, fit_args
from luavm.table import LuaTable, lookup_key
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

Gen = Generator[Any, Any, Any]


def _boundary(f: Callable[..., Any]) -> Callable[..., Gen]:
    """A builtin with no generator variant, callable with ``yield from``: a C-call boundary."""
    def call(*args: Any) -> Gen:
        return f(*args)
        yield  # never reached: makes this a generator

    return call


def twin_code(f: FunctionType) -> CodeType | None:
    """The code of the generator twin of compiled Lua function ``f``, else None.

    ``f.__qualname__`` is ``_mkCfN.<locals>.luaN``: the twin's factory is ``_mkCfN_g``, in the
    same namespace once the runtime has compiled the twins of chunk C (``_chunkC``)."""
    g = f.__globals__
    name = f.__qualname__.partition(".")[0]
    factory = g.get(name + "_g")
    if factory is None and name.startswith("_mk"):
        cc = g.get(f"_chunk{name[3:].partition('f')[0]}")
        rt = g.get("_RT")
        if cc is not None and cc.recipe is not None and rt is not None:
            rt.instantiate_twins(cc)
            factory = g.get(name + "_g")
    if type(factory) is FunctionType:
        for c in factory.__code__.co_consts:
            if type(c) is CodeType:
                return c
    return None


def twin_of(f: FunctionType) -> Callable[..., Gen]:
    """The generator function to call for ``f`` inside a coroutine (cached on ``f``)."""
    code = twin_code(f)
    if code is None:
        g = _boundary(f)
    else:
        closure = f.__closure__
        if code.co_freevars != f.__code__.co_freevars:  # same names, maybe another order
            cells = dict(zip(f.__code__.co_freevars, closure or ()))
            closure = tuple(cells[n] for n in code.co_freevars)
        g = FunctionType(code, f.__globals__, f.__name__, f.__defaults__, closure)
    f._g = g  # type: ignore[attr-defined]
    g._lua = f  # type: ignore[attr-defined]  # the Lua function a twin frame runs (debug.getinfo 'f')
    return g


class GenOps:
    """The generator-mode helpers of one runtime, installed as ``_g*`` globals of generated code."""

    def __init__(self, rt: LuaRuntime):
        self.rt = rt
        self.ops = rt.ops
        self.gf = self._make_gf()  # a plain closure: the hottest helper, called at every call

    def install(self, ns: dict) -> None:
        ns.update({
            "_gf": self.gf, "_gcallx": self.gcallx, "_gtramp": self.gtramp,
            "_gidx": self.gidx, "_gsetidx": self.gsetidx, "_garith": self.garith, "_gunm": self.gunm,
            "_gbnot": self.gbnot, "_glen": self.glen, "_geq": self.geq, "_glt": self.glt, "_gle": self.gle,
            "_gconcat": self.gconcat, "_gconcat_n": self.gconcat_n,
            "_gtbc_ok": self.gtbc_ok, "_gtbc_error": self.gtbc_error, "_gfor": self.gfor, "_gstep": self.gstep,
            "_YIELD": None,  # the coroutine.yield builtin, set by the coroutine library
            "_RT": self.rt,  # compiles a chunk's twins on demand (twin_code)
        })

    # ------------------------------------------------------------ calls

    def _make_gf(self) -> Callable[[Any, str | None], Callable[..., Gen]]:
        call_target = self.ops.call_target
        gcall = self.gcall

        def gf(f: Any, desc: str | None = None) -> Callable[..., Gen]:
            """What to call, with ``yield from``, for Lua value ``f``: a twin, a builtin's
            generator variant or a boundary wrapper; ``__call`` handled; "attempt to call"."""
            if type(f) is FT:
                try:
                    return f._g  # type: ignore[attr-defined]
                except AttributeError:
                    return twin_of(f)
            h, pre = call_target(f, desc)
            if not pre:
                return _boundary(h)
            return lambda *args: gcall(h, pre + args)

        return gf

    def gcall(self, f: Any, args: tuple, desc: str | None = None) -> Gen:
        """Call ``f(*args)`` in generator mode; the tuple of its results (tail calls run)."""
        g = self.gf(f, desc)
        if len(args) > SPARE_PARAMS:
            args = fit_args(g, args)
        r = yield from g(*args)
        if type(r) is list:
            r = yield from self.gtramp(r)
        return r

    def gcallx(self, f: Any, desc: str | None, args: tuple) -> Gen:
        """ops.callx in generator mode (argument count not known statically)."""
        g = self.gf(f, desc)
        n = len(args)
        if n > SPARE_PARAMS:
            if not self.ops.receives_varargs(g):
                self.rt.charge(n >> 3)
            args = fit_args(g, args)
        return (yield from g(*args))

    def gtramp(self, r: Any) -> Gen:
        """ops.tramp in generator mode: pending tail calls run in constant Python stack."""
        gf = self.gf
        while type(r) is list:
            f = r[0]
            args = r[1:]
            g = gf(f)
            r = yield from g(*(args if len(args) <= SPARE_PARAMS else fit_args(g, tuple(args))))
        return r

    def _callable_mm(self, h: Any) -> bool:
        return type(h) is FT or (not isinstance(h, LuaTable) and self.ops.metamethod(h, b"__call") is not None)

    def _mm1(self, h: Any, *args: Any) -> Gen:
        """Call metamethod ``h``; its first result."""
        self.rt.charge(1)
        r = yield from self.gcall(h, args)
        return r[0] if r else None

    # ------------------------------------------------------------ indexing

    def gidx(self, o: Any, k: Any, desc: str | None = None) -> Gen:
        """ops.index, with a function ``__index`` called in generator mode."""
        ops = self.ops
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
                h = ops.metamethod(o, b"__index")
                if h is None:
                    return ops.index(o, k, desc)  # the error
            if self._callable_mm(h):
                return (yield from self._mm1(h, o, k))
            self.rt.charge(1)
            o = h
            desc = None
        # MAXTAGLOOP hops made: as PUC (and ops.index), the last table is looked in, then no more
        if isinstance(o, LuaTable):
            v = o.get(lookup_key(k))
            if v is not None:
                return v
        raise LuaError("'__index' chain too long; possible loop", level=0)

    def gsetidx(self, o: Any, k: Any, v: Any, desc: str | None = None) -> Gen:
        """ops.setindex, with a function ``__newindex`` called in generator mode."""
        ops = self.ops
        for _ in range(MAXTAGLOOP):
            if isinstance(o, LuaTable):
                mt = o.meta
                if mt is None or (h := mt.get(b"__newindex")) is None or o.get(lookup_key(k)) is not None:
                    return ops.setindex(o, k, v, desc)  # a raw store
            else:
                h = ops.metamethod(o, b"__newindex")
                if h is None:
                    return ops.setindex(o, k, v, desc)  # the error
            self.rt.charge(1)
            if self._callable_mm(h):
                yield from self.gcall(h, (o, k, v))
                return None
            o = h
            desc = None
        return ops.setindex(o, k, v, desc)

    # ------------------------------------------------------------ arithmetic, length, concat

    def garith(self, op: str, a: Any, b: Any, da: str | None = None, db: str | None = None) -> Gen:
        ta, tb = type(a), type(b)
        if not ((ta is int or ta is float) and (tb is int or tb is float)):
            ev = _ARITH_EVENTS[op]
            h = self.ops.metamethod(a, ev)
            if h is None:
                h = self.ops.metamethod(b, ev)
            if h is not None:
                return (yield from self._mm1(h, a, b))
        return self.ops.arith(op, a, b, da, db)

    def gunm(self, a: Any, da: str | None = None) -> Gen:
        if type(a) is not int and type(a) is not float:
            h = self.ops.metamethod(a, b"__unm")
            if h is not None:
                return (yield from self._mm1(h, a, a))
        return self.ops.unm(a, da)

    def gbnot(self, a: Any, da: str | None = None) -> Gen:
        if type(a) is not int and type(a) is not float:
            h = self.ops.metamethod(a, b"__bnot")
            if h is not None:
                return (yield from self._mm1(h, a, a))
        return self.ops.bnot(a, da)

    def glen(self, o: Any, desc: str | None = None) -> Gen:
        if type(o) is not bytes:
            h = self.ops.metamethod(o, b"__len")
            if h is not None:
                return (yield from self._mm1(h, o, o))
        return self.ops.length(o, desc)

    def gconcat(self, a: Any, b: Any, da: str | None = None, db: str | None = None) -> Gen:
        ta, tb = type(a), type(b)
        if not ((ta is bytes or ta is int or ta is float) and (tb is bytes or tb is int or tb is float)):
            h = self.ops.metamethod(a, b"__concat")
            if h is None:
                h = self.ops.metamethod(b, b"__concat")
            if h is not None:
                return (yield from self._mm1(h, a, b))
        return self.ops.concat(a, b, da, db)

    def gconcat_n(self, values: list, descs: tuple | None = None) -> Gen:
        if all(type(v) is bytes or type(v) is int or type(v) is float for v in values):
            return self.ops.concat_n(values, descs)
        acc = values[-1]
        for i in range(len(values) - 2, -1, -1):
            d1 = descs[i] if descs else None
            d2 = descs[i + 1] if descs and i + 1 == len(values) - 1 else None
            acc = yield from self.gconcat(values[i], acc, d1, d2)
        return acc

    # ------------------------------------------------------------ comparison

    def geq(self, a: Any, b: Any) -> Gen:
        if a is not b and isinstance(a, (LuaTable, Userdata)) and isinstance(b, (LuaTable, Userdata)):
            h = self.ops.metamethod(a, b"__eq")
            if h is None:
                h = self.ops.metamethod(b, b"__eq")
            if h is None:
                return False
            r = yield from self._mm1(h, a, b)
            return r is not None and r is not False
        return self.ops.eq(a, b)

    def _order(self, event: bytes, a: Any, b: Any) -> Gen:
        ta, tb = type(a), type(b)
        if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is bytes and tb is bytes):
            return None
        ops = self.ops
        h = ops.metamethod(a, event)
        if h is None:
            h = ops.metamethod(b, event)
        if h is not None:
            r = yield from self._mm1(h, a, b)
            return r is not None and r is not False
        if event == b"__le":  # LUA_COMPAT_LT_LE, as ops._order_mm
            h = ops.metamethod(b, b"__lt") or ops.metamethod(a, b"__lt")
            if h is not None:
                r = yield from self._mm1(h, b, a)
                return not (r is not None and r is not False)
        return None

    def glt(self, a: Any, b: Any) -> Gen:
        r = yield from self._order(b"__lt", a, b)
        return self.ops.lt(a, b) if r is None else r

    def gle(self, a: Any, b: Any) -> Gen:
        r = yield from self._order(b"__le", a, b)
        return self.ops.le(a, b) if r is None else r

    # ------------------------------------------------------------ to-be-closed variables

    def gtbc_ok(self, v: Any) -> Gen:
        """runtime._tbc_ok in generator mode: a ``__close`` may yield."""
        if v is None or v is False:
            return None
        h = self.ops.metamethod(v, b"__close")
        yield from self.gcall(h, (v, None), "metamethod 'close'")
        return None

    def gtbc_error(self, v: Any, e: BaseException) -> Gen:
        """runtime._tbc_error in generator mode: returns the exception to raise."""
        from luavm.coroutine import CoroutineKill

        if isinstance(e, LuaError):
            err = e.value
        elif isinstance(e, RecursionError):
            err = self.rt.stack_overflow_value(e)
            e = LuaError(err)
        elif isinstance(e, CoroutineKill):
            err = None
        else:
            return e  # limits, GeneratorExit and luavm bugs: __close must not run
        if v is None or v is False:
            return e
        h = self.ops.metamethod(v, b"__close")
        try:
            if h is not None:
                yield from self.gcall(h, (v, err))
        except LuaError as e2:
            return e2
        return e

    # ------------------------------------------------------------ generic for

    def gfor(self, f: Any, s: Any, c: Any, nvars: int) -> Iterator[Any] | None:
        """The native iterator of a plain ``pairs``/``ipairs`` loop, else None (call ``gstep``)."""
        rt = self.rt
        if f is rt.lua_next and type(s) is LuaTable and c is None:
            return _pairs_iter(s, nvars)
        if f is rt.ipairs_iter and type(s) is LuaTable and c == 0 and s.meta is None:
            return _ipairs_iter(s, nvars)
        return None

    def gstep(self, f: Any, s: Any, c: Any, nvars: int) -> Gen:
        """One call of a generic ``for``'s iterator: the loop variables, or None at the end."""
        g = self.gf(f, "for iterator 'for iterator'")
        r = yield from g(s, c)
        if type(r) is list:
            r = yield from self.gtramp(r)
        c = r[0] if r else None
        if c is None:
            return None
        if nvars == 1:
            return c
        if nvars == 2:
            return (c, r[1] if len(r) > 1 else None)
        n = len(r)
        return tuple(r[i] if i < n else None for i in range(nvars))
