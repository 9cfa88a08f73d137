"""Debug hooks (``debug.sethook``/``gethook``) and ``debug.debug``: call, return, line, count events.

Call, return and line hooks ride on ``sys.settrace``, installed only while such a hook is set,
so normal runs pay nothing: a Python 'call' event on a Lua level (a compiled function or a
builtin) is a Lua "call" ("tail call" when the trampoline ``tramp`` made it), a normal 'return'
(a tuple; a list is a pending tail call, which PUC reports as no return) is "return", and a
'line' event is a Lua "line" event when the Lua line changes or the code jumps back (a loop).
Count hooks ride on the meter's threshold: generated code already calls the meter when ``_n``
passes ``_L``, so the meter lowers ``_L`` to the next hook point (meter.py ``set_count_hook``).
Hook functions are Lua code run through ``rt.call``: metered like any Lua code. As in PUC, no
hook fires while a hook runs (Python suspends tracing inside a trace function; a flag guards
the count hook).
"""

from __future__ import annotations

import dis
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable

from luavm import callstack
from luavm.errors import LuaError, LuaSyntaxError
from luavm.lib.args import opt_int, type_error
from luavm.table import LuaTable
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime


class HookState:
    """The hook of one Lua thread: function, mask letters ('c', 'r', 'l'), count."""

    def __init__(self) -> None:
        self.func: Any = None
        self.mask = ""
        self.count = 0


class Hooks:
    """Every thread's hook in one runtime, and the tracing state they share."""

    def __init__(self) -> None:
        self.threads: dict[Any, HookState] = {}  # coroutine (None: the main thread) -> its hook
        self.running = False  # a hook is running: no hook fires (PUC's allowhook)
        self.last: dict[FrameType, tuple[int, int]] = {}  # frame -> (Python line, Lua line) of its last line event
        self.transfer: dict[FrameType, tuple[int, tuple]] = {}  # frame -> (ftransfer, values) in a hook
        self.hookkey = LuaTable()  # registry._HOOKKEY: thread -> hook function, weak keys (as PUC)


def hooks_of(rt: LuaRuntime) -> Hooks:
    h = rt.__dict__.get("_hooks")
    if h is None:
        h = rt.__dict__["_hooks"] = Hooks()
    return h


def state(rt: LuaRuntime, co: Any = None) -> HookState | None:
    """The hook of thread ``co`` (None: the main thread), if one is set."""
    h = rt.__dict__.get("_hooks")
    return None if h is None else h.threads.get(_key(rt, co))


def _key(rt: LuaRuntime, co: Any) -> Any:
    return None if co is None or getattr(co, "is_main", False) else co


def transfer(rt: LuaRuntime, frame: FrameType) -> tuple[int, tuple]:
    """(``ftransfer``, values) of a level while its call or return hook runs, else (0, ()):
    ``debug.getlocal(level, ftransfer + i)`` reads the i-th value passed or returned."""
    h = rt.__dict__.get("_hooks")
    return h.transfer.get(frame, (0, ())) if h is not None else (0, ())


def _first_free_slot(frame: FrameType) -> int:
    """The getlocal index just past a level's active locals (a builtin's arguments)."""
    info = callstack.CHUNKS.get(frame.f_code.co_filename)
    if info is None:
        args = frame.f_locals.get("args", ())
        return len(args) + 1 if type(args) is tuple else 1
    proto = info.protos.get(frame.f_code.co_name)
    line = frame.f_lineno
    return 1 + sum(1 for v in proto.locals if v.start <= line < v.end) if proto else 1


def _lua_level(frame: FrameType) -> callstack.LuaFrame | None:
    return callstack.classify(frame.f_code, frame.f_lineno)


_GEN_FLAGS = 0x20 | 0x200  # CO_GENERATOR | CO_ASYNC_GENERATOR
_RESUME = dis.opmap.get("RESUME", -1)
_YIELD_VALUE = dis.opmap["YIELD_VALUE"]


def _is_resumption(frame: FrameType) -> bool:
    """A Python 'call' event that is a suspended generator (a twin) going on after a yield,
    not a new Lua call (CPython 3.11+: RESUME with a nonzero argument)."""
    if not frame.f_code.co_flags & _GEN_FLAGS:
        return False
    i = frame.f_lasti
    code = frame.f_code.co_code
    if _RESUME >= 0:
        return 0 <= i < len(code) - 1 and code[i] == _RESUME and code[i + 1] != 0
    return i >= 0


def _is_yield(frame: FrameType) -> bool:
    """A Python 'return' event that is a generator suspending, not returning."""
    if not frame.f_code.co_flags & _GEN_FLAGS:
        return False
    i = frame.f_lasti
    code = frame.f_code.co_code
    return 0 <= i < len(code) and code[i] == _YIELD_VALUE


_NO_INPLACE_YIELD = object()  # never a Lua value: twins call coroutine.yield as a function


def _install(rt: LuaRuntime, h: Hooks, own: HookState | None) -> None:
    """(Re)arm tracing after a change: sys.settrace while any thread has a call/return/line hook.

    Generator twins (coroutines): Python reports each resumption of a suspended generator as a
    'call' and each suspension as a 'return'; neither is a Lua event. While a call or return
    hook is set, twins call ``coroutine.yield`` as a function (its generator frame is the C
    level whose call and return PUC reports) instead of yielding in place."""
    from luavm.genops import GenOps
    from luavm.ops import tramp

    tramp_codes = (tramp.__code__, GenOps.gtramp.__code__)
    if "_yield_plain" not in rt.__dict__ and "_YIELD" in rt.ns:
        rt.__dict__["_yield_plain"] = rt.ns["_YIELD"]
    if "_yield_plain" in rt.__dict__:
        cr = any(st.func is not None and any(c in st.mask for c in "cr") for st in h.threads.values())
        rt.ns["_YIELD"] = _NO_INPLACE_YIELD if cr else rt.__dict__["_yield_plain"]

    def current() -> HookState | None:
        st = h.threads.get(rt.current_coroutine)
        return st if st is not None and st.func is not None else None

    def fire(st: HookState, event: bytes, line: Any, frame: FrameType, tr: tuple[int, tuple] | None = None) -> None:
        if h.running:
            return
        h.running = True
        if tr is not None:
            h.transfer[frame] = tr
        try:
            rt.call(st.func, event, line)
        except BaseException:
            # Python drops a trace function that raises; PUC keeps the hook. A profile function
            # (which Python keeps) arms tracing again at the next event, as the error unwinds.
            def rearm(f: FrameType, ev: str, a: Any) -> None:
                sys.setprofile(None)
                _install(rt, h, h.threads.get(rt.current_coroutine))

            sys.setprofile(rearm)
            raise
        finally:
            h.running = False
            if tr is not None:
                h.transfer.pop(frame, None)

    def local_trace(frame: FrameType, event: str, arg: Any) -> Any:
        st = current()
        if st is None:
            return local_trace
        if event == "line":
            info = callstack.CHUNKS.get(frame.f_code.co_filename)
            if info is None or "l" not in st.mask:
                return local_trace
            proto = info.protos.get(frame.f_code.co_name)
            py = frame.f_lineno
            if proto is None or py < proto.body_start:
                return local_trace
            lua = info.lines[py] if 0 <= py < len(info.lines) else 0
            if lua <= 0:
                return local_trace
            prev = h.last.get(frame)
            h.last[frame] = (py, lua)
            if prev is None or prev[1] != lua or py <= prev[0]:
                fire(st, b"line", lua, frame)
        elif event == "return":
            if _is_yield(frame):
                return local_trace  # a twin suspending: it returns later
            h.last.pop(frame, None)
            if "r" in st.mask and type(arg) is tuple:
                fire(st, b"return", None, frame, (_first_free_slot(frame), arg))
        return local_trace

    def global_trace(frame: FrameType, event: str, arg: Any) -> Any:
        if event != "call":
            return None
        lf = _lua_level(frame)
        if lf is None:
            return None
        st = current()
        if st is None:
            return local_trace  # another thread may have a hook: keep watching this frame
        if _is_resumption(frame):
            if frame in h.last:
                # Python reports the line it resumes on again: not a new Lua line
                py = frame.f_lineno
                h.last[frame] = (py - 1, lf.line)
            if "r" in st.mask or "l" in st.mask:
                frame.f_trace_lines = "l" in st.mask and lf.chunk is not None
                return local_trace
            return None
        if "c" in st.mask:
            tail = frame.f_back is not None and frame.f_back.f_code in tramp_codes
            if lf.chunk is None:
                passed = frame.f_locals.get("args", ())
            else:
                proto = lf.chunk.protos.get(frame.f_code.co_name)
                loc = frame.f_locals
                passed = tuple(loc.get(v.pyname) for v in proto.locals[:proto.nparams]) if proto else ()
            fire(st, b"tail call" if tail else b"call", None, frame, (1, passed))
        if "r" in st.mask or "l" in st.mask:
            frame.f_trace_lines = "l" in st.mask and lf.chunk is not None
            return local_trace
        return None

    def count_hook() -> None:
        st = current()
        if st is None or st.count <= 0 or h.running:
            return
        h.running = True
        try:
            rt.call(st.func, b"count", None)
        finally:
            h.running = False

    callstack.HOOK_CODES.add(count_hook.__code__)
    callstack.HOOK_CODES.add(fire.__code__)
    h.last.clear()
    tracing = any(st.func is not None and any(c in st.mask for c in "crl") for st in h.threads.values())
    if tracing:
        sys.settrace(global_trace)
        threading.settrace(global_trace)  # coroutine threads started from now on
        lines = own is not None and "l" in own.mask
        f = sys._getframe(1)
        while f is not None:  # frames already running are traced from now on, as in PUC
            lf = _lua_level(f)
            if lf is not None:
                f.f_trace = local_trace
                f.f_trace_lines = lines and lf.chunk is not None
                proto = lf.chunk.protos.get(f.f_code.co_name) if lf.chunk is not None else None
                if proto is not None and f.f_lineno >= proto.body_start:
                    h.last[f] = (f.f_lineno, lf.line)  # the line being run is not a new line
            f = f.f_back
    else:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]
    counts = [st.count for st in h.threads.values() if st.func is not None and st.count > 0]
    every = own.count if own is not None and own.count > 0 else (counts[0] if counts else 0)
    rt.meter.set_count_hook(count_hook if counts else None, every)


def close_hooks(rt: LuaRuntime) -> None:
    """lua_close frees every hook: tracing armed for ``rt`` (``sys.settrace`` and the
    ``threading.settrace`` every later thread inherits) ends with it, not at the process's end."""
    h = rt.__dict__.get("_hooks")
    if h is None or not any(st.func is not None for st in h.threads.values()):
        return  # nothing armed here: another runtime's hooks are left alone
    h.threads.clear()
    h.hookkey = LuaTable()
    _install(rt, h, None)


def make_sethook(rt: LuaRuntime) -> Callable[..., tuple]:
    from luavm.coroutine import Coroutine

    def sethook(*args: Any) -> tuple:
        off = 1 if args and isinstance(args[0], Coroutine) else 0
        rest = args[off:]
        h = hooks_of(rt)
        co = args[0] if off else rt.current_coroutine
        key = _key(rt, co)
        if not rest or rest[0] is None:
            h.threads.pop(key, None)
            st = None
        else:
            mask = rest[1] if len(rest) > 1 else None
            if type(mask) in (int, float):
                mask = rt.tostring(mask)
            if type(mask) is not bytes:
                type_error(args, 2 + off, "sethook", "string")
            f = rest[0]
            if not callable(f) or isinstance(f, (LuaTable, Userdata, Coroutine)):
                type_error(args, 1 + off, "sethook", "function")
            count = opt_int(args, 3 + off, "sethook", 0)
            st = HookState()
            st.mask = "".join(c for c in "crl" if c.encode() in mask)
            st.count = max(count, 0)
            if st.mask or st.count:  # lua_sethook: no event means no hook
                st.func = f
                h.threads[key] = st
            else:
                h.threads.pop(key, None)
                st = None
        hk = co
        if hk is None:
            corolib = rt.globals.get(b"coroutine")
            running = corolib.get(b"running") if type(corolib) is LuaTable else None
            hk = rt.call(running)[0] if running is not None else None
        if hk is not None:
            if st is None:
                h.hookkey.pop(hk, None)
            else:
                h.hookkey[hk] = st.func
        _install(rt, h, st if key == rt.current_coroutine else None)
        return ()

    return sethook


def make_gethook(rt: LuaRuntime) -> Callable[..., tuple]:
    from luavm.coroutine import Coroutine

    def gethook(*args: Any) -> tuple:
        st = state(rt, args[0] if args and isinstance(args[0], Coroutine) else rt.current_coroutine)
        if st is None or st.func is None:
            return (None,)
        return (st.func, st.mask.encode(), st.count)

    return gethook


def make_debug(rt: LuaRuntime) -> Callable[..., tuple]:
    def debug(*args: Any) -> tuple:
        """``debug.debug()``: run each line read from stdin until 'cont' (or end of input)."""
        while True:
            rt.stderr.write(b"lua_debug> ")
            rt.stderr.flush()
            line = rt.stdin.readline()
            if not line or line.rstrip(b"\r\n") == b"cont":
                return ()
            try:
                rt.call(rt.load(line, "=(debug command)"))
            except (LuaError, LuaSyntaxError) as e:
                rt.stderr.write(rt.tostring(e.value) + b"\n")
                rt.stderr.flush()

    return debug
