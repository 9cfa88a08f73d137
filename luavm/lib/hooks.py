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

import sys
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
    """The hook of one runtime: function, mask letters ('c', 'r', 'l'), count, per-frame line state."""

    def __init__(self) -> None:
        self.func: Any = None
        self.mask = ""
        self.count = 0
        self.running = False
        self.last: dict[FrameType, tuple[int, int]] = {}  # frame -> (Python line, Lua line) of its last line event
        self.transfer: dict[FrameType, tuple[int, int]] = {}
        self.hookkey = LuaTable()  # registry._HOOKKEY: thread -> hook function, weak keys (as PUC)


def state(rt: LuaRuntime) -> HookState:
    st = rt.__dict__.get("_hook_state")
    if st is None:
        st = rt.__dict__["_hook_state"] = HookState()
    return st


def transfer(rt: LuaRuntime, frame: FrameType) -> tuple[int, int]:
    """``ftransfer``/``ntransfer`` of a level while its call or return hook runs, else (0, 0)."""
    st = rt.__dict__.get("_hook_state")
    return st.transfer.get(frame, (0, 0)) if st is not None else (0, 0)


def _lua_level(frame: FrameType) -> callstack.LuaFrame | None:
    return callstack.classify(frame.f_code, frame.f_lineno)


def _install(rt: LuaRuntime, st: HookState) -> None:
    from luavm.ops import tramp

    tramp_code = tramp.__code__

    def fire(event: bytes, line: Any, frame: FrameType, tr: tuple[int, int] | None = None) -> None:
        if st.running or st.func is None:
            return
        st.running = True
        if tr is not None:
            st.transfer[frame] = tr
        try:
            rt.call(st.func, event, line)
        finally:
            st.running = False
            if tr is not None:
                st.transfer.pop(frame, None)

    def local_trace(frame: FrameType, event: str, arg: Any) -> Any:
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
            prev = st.last.get(frame)
            st.last[frame] = (py, lua)
            if prev is None or prev[1] != lua or py <= prev[0]:
                fire(b"line", lua, frame)
        elif event == "return":
            st.last.pop(frame, None)
            if "r" in st.mask and type(arg) is tuple:
                fire(b"return", None, frame, (1, len(arg)))
        return local_trace

    def global_trace(frame: FrameType, event: str, arg: Any) -> Any:
        if event != "call":
            return None
        lf = _lua_level(frame)
        if lf is None:
            return None
        if "c" in st.mask:
            tail = frame.f_back is not None and frame.f_back.f_code is tramp_code
            proto = lf.chunk.protos.get(frame.f_code.co_name) if lf.chunk is not None else None
            fire(b"tail call" if tail else b"call", None, frame, (1, proto.nparams if proto else 0))
        if "r" in st.mask or ("l" in st.mask and lf.chunk is not None):
            frame.f_trace_lines = "l" in st.mask and lf.chunk is not None
            return local_trace
        return None

    def count_hook() -> None:
        if st.running or st.func is None:
            return
        st.running = True
        try:
            rt.call(st.func, b"count", None)
        finally:
            st.running = False

    callstack.HOOK_CODES.add(count_hook.__code__)
    callstack.HOOK_CODES.add(fire.__code__)
    st.last.clear()
    if st.func is not None and any(c in st.mask for c in "crl"):
        sys.settrace(global_trace)
        f = sys._getframe(1)
        while f is not None:  # frames already running are traced from now on, as in PUC
            lf = _lua_level(f)
            if lf is not None:
                f.f_trace = local_trace
                f.f_trace_lines = "l" in st.mask and lf.chunk is not None
                if lf.chunk is not None:
                    st.last[f] = (f.f_lineno, lf.line)  # the line being run is not a new line
            f = f.f_back
    else:
        sys.settrace(None)
    rt.meter.set_count_hook(count_hook if st.func is not None and st.count > 0 else None, st.count)


def make_sethook(rt: LuaRuntime) -> Callable[..., tuple]:
    from luavm.coroutine import Coroutine

    def sethook(*args: Any) -> tuple:
        off = 1 if args and isinstance(args[0], Coroutine) else 0
        rest = args[off:]
        st = state(rt)
        if not rest or rest[0] is None:
            st.func, st.mask, st.count = None, "", 0
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
            letters = "".join(c for c in "crl" if c.encode() in mask)
            if not letters and count <= 0:
                f, count = None, 0  # lua_sethook: no event means no hook
            st.func, st.mask, st.count = f, letters, max(count, 0)
        co = args[0] if off else rt.current_coroutine
        if co is None:
            running = rt.globals.get(b"coroutine")
            running = running.get(b"running") if type(running) is LuaTable else None
            co = rt.call(running)[0] if running is not None else None
        if co is not None:
            if st.func is None:
                st.hookkey.pop(co, None)
            else:
                st.hookkey[co] = st.func
        _install(rt, st)
        return ()

    return sethook


def make_gethook(rt: LuaRuntime) -> Callable[..., tuple]:
    def gethook(*args: Any) -> tuple:
        st = state(rt)
        if st.func is None:
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
