"""Live-memory measurement: the deterministic "collector" behind the memory limit.

Allocations are charged as they happen (meter.alloc). To give back what a script has dropped,
the runtime periodically measures what is still reachable, with the size model of meter.py,
and resets the accounted figure to it. Reachability starts from the runtime's roots: the
globals, the string metatable, and the Lua frames on the stacks of the running thread and of
every suspended coroutine (their locals, varargs and temporaries), following tables (keys,
values, metatables), closures (their upvalue cells) and coroutines.

The walk also does what Lua's collector does to weak tables (``__mode``): entries whose weak key
or value nothing else reached are cleared (a second, precise marking decides, see _clear_weak).
It counts the compiled code of every chunk with a reachable function or a running frame, and
lets the runtime drop the others (chunks.py).

Why this is deterministic: the roots and the object graph are exactly what the Lua program
built, visited in a fixed order; strings are counted once per distinct content (as Lua interns
them), so Python's own object sharing never changes the figure. Collections happen at fixed
points (an allocation crossing the threshold, ``collectgarbage``), so the same program gives the
same figures and peak on every run.
"""

from __future__ import annotations

import dis
import gc
import re
import sys
import weakref
from types import CodeType, FrameType, FunctionType
from typing import TYPE_CHECKING, Any, Iterable

from luavm.meter import (
    CLOSURE_OVERHEAD, COROUTINE_SIZE, SLOT_SIZE, SNAPSHOT_SLOT_SIZE, STRING_OVERHEAD, TABLE_OVERHEAD,
    UPVALUE_SIZE, VARARG_SLOT_SIZE,
)
from luavm.ops import SPARE_PARAMS
from luavm.table import LuaTable, _BoolKey
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime


# genops/coroutine frames only pass values on (the Lua frames around them hold them too)
# (and the compiler's frames hold no Lua values)
_SKIP_MODULES = ("luavm.heap", "luavm.meter", "luavm.genops", "luavm.coroutine", "luavm.chunks",
                 "luavm.compile.lexer", "luavm.compile.parser", "luavm.compile.syntaxerrors",
                 "luavm.compile.checks", "luavm.compile.resolver", "luavm.compile.costs",
                 "luavm.compile.codegen")
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
    """Bytes reachable from the runtime's roots, by the documented size model; clears the dead
    entries of weak tables (``__mode``) on the way.

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
    ns = rt.ns
    code_files: set[str] = set()  # chunks with a running frame or a reachable function
    roots, in_flight = _roots(rt, ns, precise=False, code_files=code_files)
    m = _Marker(rt, weak=False, code_files=code_files)
    m.total = in_flight
    m.mark(roots)
    if m.saw_weak:
        m.total -= SLOT_SIZE * _clear_weak(rt, ns)
    total = m.total + rt._compile_held  # a `load` in progress: its parse and compile buffers
    chunks = rt.chunks
    for name in code_files:  # compiled code counts while a function of it is reachable
        total += chunks.size_of(name)
    chunks.reclaim(code_files)
    return total


def _plain_file(filename: str) -> str:
    """The chunk a frame's code belongs to: a generator twin's module (``<luavm:Cco:name>``)
    keeps its plain chunk (``<luavm:C:name>``) alive, whose factories the twins use."""
    head, sep, rest = filename.partition("co:")
    return head + ":" + rest if sep and head[7:].isdigit() and head.startswith("<luavm:") else filename


def _roots(rt: LuaRuntime, ns: dict, precise: bool, code_files: set[str] | None = None) -> tuple[list, int]:
    roots: list[Any] = [rt.globals, rt.ops.string_meta, *rt.ops.type_meta.values()]
    in_flight = 0
    for f in _frames(sys._getframe(2), ns):
        if f.f_globals is ns:
            if code_files is not None:
                code_files.add(_plain_file(f.f_code.co_filename))
            roots.extend(_frame_values(f, precise))
            in_flight += varargs_bytes(f)
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
    # Running coroutines (and those in 'normal' state, which resumed them) are generator
    # frames on this same stack: the walk above went through them and on into their resumers.
    return roots, in_flight


class _Marker:
    """One marking pass. ``weak=False`` (accounting) follows every reference, as before weak
    tables existed; ``weak=True`` (deciding what weak tables lose) follows only strong ones and
    only the temporaries of generated code that the statement now running still uses."""

    def __init__(self, rt: LuaRuntime, weak: bool, code_files: set[str] | None = None):
        self.ns, self.weak, self.meter = rt.ns, weak, rt.meter
        self.code_files = code_files if code_files is not None else set()
        self.seen: set[int] = set()
        self.strings: set[bytes] = set()
        self.total = 0
        self.saw_weak = False
        self.weak_tables: list[tuple[LuaTable, bool, bool]] = []
        self.stack: list[Any] = []

    def mark(self, roots: list) -> None:
        self.stack.extend(reversed(roots))
        self.walk()

    def walk(self) -> None:
        from luavm.coroutine import FRAME_SIZE, Coroutine

        ns, meter, code_files = self.ns, self.meter, self.code_files
        seen, strings, stack, weak = self.seen, self.strings, self.stack, self.weak
        total = self.total
        budget = DEADLINE_STRIDE
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
                order = v._order
                if order is not None:  # a traversal snapshot (next) also keeps cleared keys alive
                    total += SNAPSHOT_SLOT_SIZE * len(order)
                    if not weak:
                        stack.extend(order)
                mt = v.meta
                if mt is not None:
                    stack.append(mt)
                    mode = mt.get(b"__mode")
                    if type(mode) is bytes and (b"k" in mode or b"v" in mode):
                        self.saw_weak = True
                        if weak:
                            wk, wv = b"k" in mode, b"v" in mode
                            self.weak_tables.append((v, wk, wv))
                            for k, x in v.items():  # only the strong halves hold anything
                                kc = wk and _collectable(k)
                                if not kc:
                                    stack.append(k)
                                if not (wv and _collectable(x)) and (not kc or id(k) in seen):
                                    stack.append(x)
                            continue
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
                            code_files.add(_plain_file(fr.f_code.co_filename))
                            stack.extend(_frame_values(fr, weak))
                            total += varargs_bytes(fr)
                        g = g.gi_yieldfrom
            elif isinstance(v, Userdata):
                total += STRING_OVERHEAD
                if v.meta is not None:
                    stack.append(v.meta)
        self.total = total


def _clear_weak(rt: LuaRuntime, ns: dict) -> int:
    """Remove the weak-table entries whose weak key or value only garbage refers to; the count."""
    roots, _ = _roots(rt, ns, precise=True)
    m = _Marker(rt, weak=True)
    m.mark(roots)
    seen = m.seen
    changed = True
    while changed:  # ephemerons (weak keys, strong values): a value lives once its key does
        changed = False
        for tbl, wk, wv in m.weak_tables:
            if wk and not wv:
                for k, x in tbl.items():
                    if _collectable(k) and id(k) in seen and _collectable(x) and id(x) not in seen:
                        m.stack.append(x)
                        changed = True
        m.walk()
    cleared = 0
    for tbl, wk, wv in m.weak_tables:
        dead = [k for k, x in tbl.items()
                if (wk and _collectable(k) and id(k) not in seen) or (wv and _collectable(x) and id(x) not in seen)]
        for k in dead:
            del tbl[k]
        cleared += len(dead)
    return cleared


def _collectable(v: Any) -> bool:
    """Values a weak table does not keep alive (strings and numbers are values, never cleared)."""
    from luavm.coroutine import Coroutine

    return isinstance(v, (LuaTable, Userdata, Coroutine)) or type(v) is FunctionType


_TEMPS = re.compile(r"_t\d+|_v|_r")
_stores: "weakref.WeakKeyDictionary[CodeType, dict[str, list[int]]]" = weakref.WeakKeyDictionary()


def varargs_bytes(f: FrameType) -> int:
    """What a Lua frame's ``...`` holds beyond SPARE_PARAMS values, VARARG_SLOT_SIZE each: the same
    figure its function was charged on entry (runtime._charge_varargs)."""
    va = f.f_locals.get("VA")
    if type(va) is tuple and len(va) > SPARE_PARAMS:
        return VARARG_SLOT_SIZE * len(va)
    return 0


def _frame_values(f: FrameType, precise: bool) -> Iterable[Any]:
    """A generated frame's locals. ``precise``: leave out temporaries (``_t3``, ``_v``, ``_r``)
    last stored before the Lua statement now running began; they hold dead values (PUC would
    have reused the register) and would keep weak entries alive forever."""
    loc = f.f_locals
    if not precise:
        return loc.values()
    code = f.f_code
    stores = _stores.get(code)
    if stores is None:
        stores = {}
        line = code.co_firstlineno
        for ins in dis.get_instructions(code):
            if ins.starts_line is not None:
                line = ins.starts_line
            if ins.opname == "STORE_FAST" and _TEMPS.fullmatch(ins.argval):
                stores.setdefault(ins.argval, []).append(line)
        _stores[code] = stores
    from luavm.callstack import CHUNKS

    info = CHUNKS.get(code.co_filename)
    here = f.f_lineno
    first = here
    if info is not None:
        lines = info.lines
        lua = lines[here] if here < len(lines) else 0
        while first > 1 and first - 1 < len(lines) and lines[first - 1] == lua:
            first -= 1
    out = []
    for name, v in loc.items():
        at = stores.get(name)
        if at is None or any(first <= ln <= here for ln in at):
            out.append(v)
    return out
