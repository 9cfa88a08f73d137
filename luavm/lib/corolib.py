"""The coroutine library (Lua 5.4 manual §6.2) over luavm.coroutine.Coroutine.

``coroutine.yield`` has two forms: its generator variant (``yield_._g``), which generated code
calls inside a coroutine (genops.py), and the plain builtin, reached only from code a builtin
called back (a sort comparator, a gsub callback...) or from outside any coroutine, where Lua
refuses to yield.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Generator

from luavm.callstack import register_builtin
from luavm.coroutine import Coroutine
from luavm.errors import LuaError
from luavm.lib.args import type_error
from luavm.meter import COROUTINE_SIZE
from luavm.ops import FT
from luavm.table import LuaTable

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

_live: "weakref.WeakKeyDictionary[Any, weakref.WeakSet]" = weakref.WeakKeyDictionary()


def live_coroutines(rt: LuaRuntime) -> list[Coroutine]:
    """Coroutines of ``rt`` not yet collected, in creation order (for deterministic traversal)."""
    return sorted(_live.get(rt, ()), key=lambda co: co.serial)


def close_all(rt: LuaRuntime) -> None:
    """Drop every coroutine of ``rt`` still suspended, without running Lua (runtime shutdown)."""
    for co in live_coroutines(rt):
        if co.status == "suspended" and co.started:
            co.drop()


def open_coroutine(rt: LuaRuntime) -> LuaTable:
    main = rt.main_coroutine = Coroutine(rt, None, is_main=True)
    live = _live.setdefault(rt, weakref.WeakSet())

    def check_co(args: tuple, n: int, fname: str) -> Coroutine:
        v = args[n - 1] if n <= len(args) else None
        if not isinstance(v, Coroutine):
            type_error(args, n, fname, "thread")
        return v

    def create(*args: Any) -> tuple:
        f = args[0] if args else None
        if type(f) is not FT:
            type_error(args, 1, "create", "function")  # named 'coroutine.wrap' when wrap calls it
        rt.alloc(COROUTINE_SIZE)
        co = Coroutine(rt, f)
        live.add(co)
        return (co,)

    def resume(*args: Any) -> tuple:
        co = check_co(args, 1, "resume")
        ok, values = co.resume(args[1:])
        return (ok,) + tuple(values)

    def yield_(*args: Any) -> tuple:
        """The plain form: reached only where Lua cannot yield."""
        if rt.current_coroutine is None:
            raise LuaError("attempt to yield from outside a coroutine")
        raise LuaError("attempt to yield across a C-call boundary")

    def yield_g(*args: Any) -> Generator[tuple, tuple, tuple]:
        """The generator form: the values travel up the ``yield from`` chain to resume (which
        refuses them while coroutine.close runs the __close handlers)."""
        return (yield args)

    yield_._g = yield_g  # type: ignore[attr-defined]
    rt.ns["_YIELD"] = yield_  # generated code yields in place when it calls this builtin
    register_builtin(yield_g, "coroutine.yield", qualified=True)

    def status(*args: Any) -> tuple:
        co = check_co(args, 1, "status")
        return (co.status_name().encode(),)

    def running(*args: Any) -> tuple:
        co = rt.current_coroutine
        return (co, False) if co is not None else (main, True)

    def isyieldable(*args: Any) -> tuple:
        """Called plainly it is not in generator mode: only its generator form can say yes."""
        if args:
            co = check_co(args, 1, "isyieldable")
            return (False,) if co is rt.current_coroutine else (not co.is_main,)
        return (False,)

    def isyieldable_g(*args: Any) -> Generator[tuple, tuple, tuple]:
        if args:
            co = check_co(args, 1, "isyieldable")
            return (not co.is_main and not co.closing,)
        co = rt.current_coroutine
        return (co is not None and not co.closing,)
        yield  # never reached: makes this a generator

    isyieldable._g = isyieldable_g  # type: ignore[attr-defined]
    register_builtin(isyieldable_g, "isyieldable")

    def wrap(*args: Any) -> tuple:
        if not args or type(args[0]) is not FT:
            type_error(args, 1, "wrap", "function")
        (co,) = create(*args)

        def wrapped(*a: Any) -> tuple:
            ok, values = co.resume(a)
            if ok:
                return tuple(values)
            err = values[0] if values else None
            if type(err) is bytes:
                raise LuaError(err, level=1)
            raise LuaError(err)

        register_builtin(wrapped, "wrap")
        return (wrapped,)

    def close(*args: Any) -> tuple:
        co = check_co(args, 1, "close")
        st = co.status_name()
        if st in ("running", "normal"):
            raise LuaError(f"cannot close a {st} coroutine", level=1)
        ok, err = co.close()
        return (True,) if ok else (False, err)

    t = LuaTable()
    for name, f in {"create": create, "resume": resume, "yield": yield_, "status": status,
                    "running": running, "isyieldable": isyieldable, "wrap": wrap, "close": close}.items():
        t[name.encode()] = f
    return t
