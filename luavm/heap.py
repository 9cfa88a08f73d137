"""Live-memory measurement: the deterministic "collector" behind the memory limit.

Allocations are charged as they happen (meter.alloc). To give back what a script has dropped,
the runtime periodically measures what is still reachable, with the size model of meter.py,
and resets the accounted figure to it. Reachability starts from the runtime's roots: the
globals, the string metatable, and the Lua frames on the stacks of the running thread and of
every suspended coroutine (their locals, varargs and temporaries), following tables (keys,
values, metatables), closures (their upvalue cells) and coroutines.

The walk also does what Lua's collector does to weak tables (``__mode``): parts of them that are
weak are not followed (a weak-key table's value is followed once its key is reached:
ephemerons), and entries whose weak key or value nothing else reached are cleared. It counts
the compiled code of every chunk with a reachable function or a running frame, and lets the
runtime drop the others (chunks.py).

Why this is deterministic: the roots and the object graph are exactly what the Lua program
built, visited in a fixed order; strings are counted once per distinct content (as Lua interns
them), so Python's own object sharing never changes the figure. Collections happen at fixed
points (an allocation crossing the threshold, ``collectgarbage``), so the same program gives the
same figures and peak on every run.
"""

from __future__ import annotations

import sys
from types import FrameType, FunctionType
from typing import TYPE_CHECKING, Any, Iterable

from luavm.meter import (
    CLOSURE_OVERHEAD, COROUTINE_SIZE, SLOT_SIZE, SNAPSHOT_SLOT_SIZE, STRING_OVERHEAD, TABLE_OVERHEAD,
    UPVALUE_SIZE,
)
from luavm.table import LuaTable, _BoolKey
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime


_SKIP_MODULES = ("luavm.heap", "luavm.meter", "luavm.chunks", "luavm.lexer", "luavm.parser",
                 "luavm.compiler", "luavm.checks")
DEADLINE_STRIDE = 4096  # objects visited between two looks at the deadline (~1 ms)
PART_SIZE = 8  # a builtin's buffer list: one pointer per piece
SHORT_STRING = 40  # like Lua, short strings count once per content, long ones per object


def _frames(top: FrameType | None, ns: dict) -> Iterable[FrameType]:
    """Frames whose locals hold Lua values: generated code, and luavm's own builtins and
    operators (a builtin's half-built result is live memory too)."""
    f = top
    while f is not None:
        g = f.f_globals
        if g is ns:
            yield f
        else:
            name = g.get("__name__", "")
            if name.startswith("luavm.") and name not in _SKIP_MODULES:
                yield f
        f = f.f_back


def measure_live(rt: LuaRuntime) -> int:
    """Bytes reachable from the runtime's roots, by the documented size model."""
    from luavm.coroutine import Coroutine

    ns = rt.ns
    roots: list[Any] = [rt.globals, rt.ops.string_meta]
    here = _ident()
    frames_by_thread = sys._current_frames()
    in_flight = 0
    code_files: set[str] = set()  # chunks with a running frame or a reachable function
    for f in _frames(sys._getframe(1), ns):
        if f.f_globals is ns:
            code_files.add(f.f_code.co_filename)
            roots.extend(f.f_locals.values())
            continue
        # A builtin's working buffers: every piece will be copied into its result, so each
        # counts in full even when the same string object appears many times.
        for v in f.f_locals.values():
            if type(v) is list or type(v) is tuple:
                in_flight += PART_SIZE * len(v)
                for piece in v:
                    if type(piece) is bytes or type(piece) is bytearray:
                        in_flight += len(piece)
                    else:
                        roots.append(piece)
            elif type(v) is bytearray:
                in_flight += len(v)
            else:
                roots.append(v)
    host = getattr(rt, "host_thread_ident", None)
    if host is not None and host != here and host in frames_by_thread:
        # collecting inside a coroutine: the thread that resumed it is waiting, its locals live
        for f in _frames(frames_by_thread[host], ns):
            if f.f_globals is ns:
                code_files.add(f.f_code.co_filename)
            roots.extend(f.f_locals.values())

    seen: set[int] = set()
    strings: set[bytes] = set()
    total = in_flight
    weak: list[tuple[LuaTable, bool, bool]] = []  # tables with __mode, and which parts are weak
    stack = list(reversed(roots))
    meter = rt.meter
    budget = DEADLINE_STRIDE

    def drain() -> None:
        nonlocal total, budget
        while stack:
            budget -= 1
            if not budget:  # a walk of a big heap takes long: look at the clock as Lua code does
                budget = DEADLINE_STRIDE
                meter.check_deadline()
            v = stack.pop()
            t = type(v)
            if t is bytes:
                if len(v) <= SHORT_STRING:
                    if v not in strings:
                        strings.add(v)
                        total += STRING_OVERHEAD + len(v)
                elif id(v) not in seen:
                    seen.add(id(v))
                    total += STRING_OVERHEAD + len(v)
                continue
            if t is bytearray:
                if id(v) not in seen:
                    seen.add(id(v))
                    total += STRING_OVERHEAD + len(v)
                continue
            if v is None or t is bool or t is int or t is float or t is _BoolKey:
                continue
            i = id(v)
            if i in seen:
                continue
            seen.add(i)
            if isinstance(v, LuaTable):
                total += TABLE_OVERHEAD + SLOT_SIZE * len(v)
                if v.meta is not None:
                    stack.append(v.meta)
                order = v._order
                if order is not None:  # a traversal snapshot also keeps cleared keys alive
                    total += SNAPSHOT_SLOT_SIZE * len(order)
                    stack.extend(order)
                mode = v.meta.get(b"__mode") if v.meta is not None else None
                if type(mode) is bytes and (b"k" in mode or b"v" in mode):
                    wk, wv = b"k" in mode, b"v" in mode
                    weak.append((v, wk, wv))
                    if not wk:
                        stack.extend(v.keys())  # weak values: the keys are strong
                    continue  # weak keys: a value lives only if its key does (ephemerons, below)
                for k, x in v.items():
                    stack.append(k)
                    stack.append(x)
            elif t is FunctionType:
                cells = v.__closure__ or ()
                if v.__globals__ is ns:  # a compiled Lua closure: its upvalues are what it holds
                    total += CLOSURE_OVERHEAD + UPVALUE_SIZE * max(0, len(cells) - 1)
                    code_files.add(v.__code__.co_filename)
                for c in cells:
                    try:
                        stack.append(c.cell_contents)
                    except ValueError:
                        pass
            elif t is list or t is tuple:  # cells of captured locals, varargs, builtins' part lists
                stack.extend(v)
            elif isinstance(v, Coroutine):
                total += COROUTINE_SIZE
                stack.append(v.fn)
                th = v.thread
                if th is not None and th.ident != here and th.ident in frames_by_thread:
                    for f in _frames(frames_by_thread[th.ident], ns):  # its suspended stack
                        if f.f_globals is ns:
                            code_files.add(f.f_code.co_filename)
                        stack.extend(f.f_locals.values())
            elif isinstance(v, Userdata):
                total += STRING_OVERHEAD
                if v.meta is not None:
                    stack.append(v.meta)

    drain()
    # Ephemerons: in a table with weak keys (only), a value is reachable when its key is.
    pushed: set[int] = set()
    grew = True
    while grew:
        grew = False
        for wt, wk, wv in weak:
            if wk and not wv:
                for k, x in wt.items():
                    if not _dead(k, seen) and id(x) not in pushed:
                        pushed.add(id(x))
                        stack.append(x)
                        grew = True
        drain()
    # What only weak references reached is gone: clear those entries, as Lua's collector does.
    for wt, wk, wv in weak:
        gone = [k for k, x in wt.items() if (wk and _dead(k, seen)) or (wv and _dead(x, seen))]
        for k in gone:
            del wt[k]
    total += rt._compile_held  # a `load` in progress: its parse and compile buffers
    chunks = rt.chunks
    for name in code_files:  # compiled code counts while a function of it is reachable
        total += chunks.size_of(name)
    chunks.reclaim(code_files)
    return total


def _dead(v: Any, seen: set[int]) -> bool:
    """Not reached by the walk, and collectable (strings, numbers and booleans never are)."""
    from luavm.coroutine import Coroutine

    t = type(v)
    return (t is LuaTable or t is FunctionType or t is Userdata or t is Coroutine) and id(v) not in seen


def _ident() -> int:
    import threading

    return threading.get_ident()
