"""The coroutine library (Lua 5.4 manual §6.2) over luavm.coroutine.Coroutine."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

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
    """Unwind every coroutine of ``rt`` that is still suspended (frees their threads)."""
    for co in list(_live.get(rt, ())):
        if co.status == "suspended" and co.thread is not None:
            try:
                co.close()
            except BaseException:  # closing must not fail the host; the thread is gone either way
                pass


def open_coroutine(rt: LuaRuntime) -> LuaTable:
    main = Coroutine(rt, None, is_main=True)
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
        co = rt.current_coroutine
        if co is None:
            raise LuaError("attempt to yield from outside a coroutine", level=1)
        return co.yield_(args)

    def status(*args: Any) -> tuple:
        co = check_co(args, 1, "status")
        return (co.status.encode(),)

    def running(*args: Any) -> tuple:
        co = rt.current_coroutine
        return (co, False) if co is not None else (main, True)

    def isyieldable(*args: Any) -> tuple:
        if args:
            co = check_co(args, 1, "isyieldable")
            return (not co.is_main and co.status == "running",)
        return (rt.current_coroutine is not None,)

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

        from luavm.callstack import register_builtin

        register_builtin(wrapped, "wrap")
        return (wrapped,)

    def close(*args: Any) -> tuple:
        co = check_co(args, 1, "close")
        if co.status in ("running", "normal"):
            raise LuaError(f"cannot close a {co.status} coroutine", level=1)
        ok, err = co.close()
        return (True,) if ok else (False, err)

    t = LuaTable()
    for name, f in {"create": create, "resume": resume, "yield": yield_, "status": status,
                    "running": running, "isyieldable": isyieldable, "wrap": wrap, "close": close}.items():
        t[name.encode()] = f
    return t
