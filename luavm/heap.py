"""Live-memory measurement: the deterministic "collector" behind the memory limit.

Allocations are charged as they happen (meter.alloc). To give back what a script has dropped,
the runtime periodically measures what is still reachable, with the size model of meter.py,
and resets the accounted figure to it. Reachability starts from the runtime's roots: the
globals, the string metatable, and the Lua frames on the stacks of the running thread and of
every suspended coroutine (their locals, varargs and temporaries), following tables (keys,
values, metatables), closures (their upvalue cells) and coroutines.

Why this is deterministic: the roots and the object graph are exactly what the Lua program
built, visited in a fixed order; strings are counted once per distinct content (as Lua interns
them), so Python's own object sharing never changes the figure. Collections happen at fixed
points (an allocation crossing the threshold, ``collectgarbage``), so the same program gives the
same figures and peak on every run.
"""

from __future__ import annotations

import gc
import sys
from types import FrameType, FunctionType
from typing import TYPE_CHECKING, Any, Iterable

from luavm.meter import (
    CLOSURE_OVERHEAD, COROUTINE_SIZE, SLOT_SIZE, STRING_OVERHEAD, TABLE_OVERHEAD, UPVALUE_SIZE,
)
from luavm.table import LuaTable, _BoolKey
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime


# genops/coroutine frames only pass values on (the Lua frames around them hold them too)
_SKIP_MODULES = ("luavm.heap", "luavm.meter", "luavm.genops", "luavm.coroutine")
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
    """Bytes reachable from the runtime's roots, by the documented size model.

    Python's cyclic collector is paused meanwhile: the walk allocates (frames' locals dicts,
    the seen set) among a large live heap, and would trigger full collections that find
    nothing to free (with 100,000 suspended coroutines they took 60% of the walk)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _measure_live(rt)
    finally:
        if enabled:
            gc.enable()


def _measure_live(rt: LuaRuntime) -> int:
    from luavm.coroutine import FRAME_SIZE, Coroutine

    ns = rt.ns
    roots: list[Any] = [rt.globals, rt.ops.string_meta]
    in_flight = 0
    for f in _frames(sys._getframe(1), ns):
        if f.f_globals is ns:
            roots.extend(f.f_locals.values())
            continue
        # A builtin's working buffers: every piece will be copied into its result, so each
        # counts in full even when the same string object appears many times.
        for v in f.f_locals.values():
            if type(v) is list or type(v) is tuple:
                for piece in v:
                    if type(piece) is bytes or type(piece) is bytearray:
                        in_flight += len(piece)
                    else:
                        roots.append(piece)
            elif type(v) is bytearray:
                in_flight += len(v)
            else:
                roots.append(v)
    # Running coroutines (and those in 'normal' state, which resumed them) are generator
    # frames on this same stack: the walk above went through them and on into their resumers.

    seen: set[int] = set()
    strings: set[bytes] = set()
    total = in_flight
    stack = list(reversed(roots))
    while stack:
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
            for k, x in v.items():
                stack.append(k)
                stack.append(x)
        elif t is FunctionType:
            cells = v.__closure__ or ()
            if v.__globals__ is ns:  # a compiled Lua closure: its upvalues are what it holds
                total += CLOSURE_OVERHEAD + UPVALUE_SIZE * max(0, len(cells) - 1)
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
            g = v.gen
            if g is not None and not g.gi_running:
                # a suspended coroutine: its chain of generator frames, outermost first. Only
                # the Lua functions' frames hold Lua values; the helpers between them (genops,
                # pcall...) only pass on values those frames hold too.
                while g is not None:
                    fr = g.gi_frame
                    if fr is None:
                        break
                    total += FRAME_SIZE
                    if fr.f_globals is ns:
                        stack.extend(fr.f_locals.values())
                    g = g.gi_yieldfrom
        elif isinstance(v, Userdata):
            total += STRING_OVERHEAD
            if v.meta is not None:
                stack.append(v.meta)
    return total

