"""Maps Python frames of generated code back to Lua: chunk names, lines, function names, levels.

Generated code costs nothing for positions at run time: each compiled chunk registers a line
table (Python line -> Lua line) under its unique Python file name, and builtins register their
code objects. Only when an error is raised, or the debug library asks, do we walk the Python
stack (or a traceback) and translate. Lua "levels" count Lua functions and builtins alike,
innermost first, as PUC does.

What debug.getinfo/getlocal/getupvalue need per function is a ``FuncProto`` (recorded by the
compiler); a function's name as PUC's ``getfuncname`` gives it is read from the caller's call
site: the column of the Python CALL instruction the caller is executing (``co_positions``) picks
the ``_cof(f, desc)`` / ``_callx(f, desc, ...)`` of that call, and ``desc`` is the description
the compiler wrote for error messages ("global 'f'", "method 'm'", ...).
"""

from __future__ import annotations

import ast
import re
import sys
import weakref
from dataclasses import dataclass, field
from types import CodeType, FrameType, TracebackType
from typing import Any, Iterator


@dataclass(frozen=True)
class LocalInfo:
    """One Lua local of a function: active on Python lines ``start <= line < end``."""

    name: str
    pyname: str
    captured: bool  # lives in a one-element list (a cell shared with closures)
    start: int
    end: int
    vtype: str = "any"  # static number type the compiled code relies on (compile/typeinfer.py)


@dataclass(frozen=True)
class FuncProto:
    """What the compiler records about one Lua function for the debug library."""

    name: str  # how tracebacks name it by its definition ("local 'f'", "function <x.lua:3>")
    linedefined: int
    lastlinedefined: int
    nparams: int
    is_vararg: bool
    upvalues: tuple[tuple[str, str], ...]  # (Lua name, Python free variable) in PUC's order
    locals: tuple[LocalInfo, ...]  # in declaration order, as PUC numbers them
    body_start: int  # Python lines of the body (activelines)
    body_end: int
    env_cell: bool  # the chunk assigns _ENV: ENV is a one-element list


@dataclass
class ChunkInfo:
    """What the compiler records about one compiled chunk."""

    chunkname: str  # as shown in messages: 'x.lua', 'stdin', '[string "..."]'
    lines: list[int]  # Python line number -> Lua line (0 = unknown)
    functions: dict[str, tuple[str, int]] = field(default_factory=dict)  # py name -> (lua name, line)
    method_lines: set[int] = field(default_factory=set)  # Python lines that make a method call `o:m()`
    protos: dict[str, FuncProto] = field(default_factory=dict)  # py name -> debug information
    source: str = ""  # the chunk name as given to load: '@x.lua', '=stdin', or the text
    calls: dict[int, tuple[tuple[int, str | None], ...]] = field(default_factory=dict)  # py line -> (column, desc)
    env_table: bool = False  # compiled for a table _ENV (free names read ENV.get directly)
    # py line -> (column, Lua line) of the calls on another Lua line than their statement's
    call_line_cols: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)


# the call forms of plain code (``_cof(f, desc)``, ``_callx(f, desc, ...)``) and of generator
# twins (``_gf(f, desc)``, ``_gcallx(f, desc, ...)``)
_CALL_SITE = re.compile(r"""(?<![\w])(?:_cof|_callx|_gf|_gcallx)\((?:[^,()]|\[0\])+, (None|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def call_sites(line: str) -> tuple[tuple[int, str | None], ...]:
    """The calls a generated Python line makes: (column of the call helper, description)."""
    return tuple((m.start(), ast.literal_eval(m.group(1))) for m in _CALL_SITE.finditer(line))


# Weak: an entry lives as long as its compiled chunk is cached or loaded in a runtime
# (chunks.py), so compiled code never piles up in the process.
CHUNKS: weakref.WeakValueDictionary[str, ChunkInfo] = weakref.WeakValueDictionary()
BUILTIN_CODES: dict[CodeType, str] = {}  # builtin code object -> its Lua-visible name
# Code objects where a stack of Lua levels ends below the innermost: the outermost frame of a
# coroutine (coroutine.py), whose resumer's levels are another Lua thread's, as in PUC.
STACK_BOTTOMS: set[CodeType] = set()


class SyntheticFrame:
    """A level with no Python frame of its own: the ``coroutine.yield`` a twin makes in place
    (``(yield a)`` at a call site written ``coroutine.yield(...)``), where PUC has a C level."""

    __slots__ = ("f_code", "f_lineno", "f_lasti", "f_locals", "f_back", "f_globals")

    def __init__(self, code: CodeType, locals_: dict | None = None):
        self.f_code = code
        self.f_lineno = code.co_firstlineno
        self.f_lasti = -1
        self.f_locals = locals_ if locals_ is not None else {}
        self.f_back = None
        self.f_globals: dict = {}


def register_builtin(func: object, name: str, *, qualified: bool = False) -> None:
    """Record a builtin's name; a library's qualified name ('string.rep') wins over others."""
    code = getattr(func, "__code__", None)
    if code is not None and (qualified or code not in BUILTIN_CODES):
        BUILTIN_CODES[code] = name


@dataclass(frozen=True)
class LuaFrame:
    """One Lua-visible level: a Lua function (chunk set) or a builtin (chunk None)."""

    chunk: ChunkInfo | None
    line: int
    name: str

    @property
    def where(self) -> bytes:
        if self.chunk is None or self.line <= 0:
            return b""
        return f"{self.chunk.chunkname}:{self.line}: ".encode("utf-8", "surrogateescape")


def classify(code: CodeType, lineno: int) -> LuaFrame | None:
    info = CHUNKS.get(code.co_filename)
    if info is not None:
        if code.co_name.startswith(("_mk", "<")):
            return None  # closure factories and a module's top level (twins') are never a Lua level
        line = info.lines[lineno] if 0 <= lineno < len(info.lines) else 0
        fname = info.functions.get(code.co_name, ("?", 0))[0]
        return LuaFrame(info, line, fname)
    name = BUILTIN_CODES.get(code)
    if name is not None:
        return LuaFrame(None, -1, name)
    return None


def is_outlined(code: CodeType) -> bool:
    """A region of a Lua function compiled as a function of its own (compile.resolver.Region): it and
    the frame that called it are one Lua level, reported at the region's line."""
    return code.co_name.startswith("_o") and code.co_filename in CHUNKS


def frames_from(frame: FrameType | None) -> Iterator[LuaFrame]:
    inner_outlined = False
    while frame is not None:
        if frame.f_code in STACK_BOTTOMS:
            return
        lf = classify(frame.f_code, frame.f_lineno)
        if lf is not None:
            if not inner_outlined:
                yield lf
            inner_outlined = is_outlined(frame.f_code)
        frame = frame.f_back


def where(level: int) -> bytes:
    """``chunk:line: `` of the Lua level ``level`` (0 = innermost), or b'' for a builtin/none."""
    for i, lf in enumerate(frames_from(sys._getframe(1))):
        if i == level:
            if level == 0 and lf.chunk is not None and lf.line == -1:
                return f"{lf.chunk.chunkname}:-1: ".encode()  # luaG_addinfo on stripped code
            return lf.where
    return b""


def current_location() -> str:
    """'chunk:line' of the innermost running Lua function, or ''."""
    for lf in frames_from(sys._getframe(1)):
        if lf.chunk is not None:
            return f"{lf.chunk.chunkname}:{lf.line}"
    return ""


def current_line() -> int:
    for lf in frames_from(sys._getframe(1)):
        return lf.line
    return -1


def traceback_frames(tb: TracebackType | None) -> list[LuaFrame]:
    """The Lua levels of an exception's traceback, innermost first."""
    out = []
    while tb is not None:
        lf = classify(tb.tb_frame.f_code, tb.tb_lineno)
        if lf is not None:
            if out and out[-1].chunk is not None and is_outlined(tb.tb_frame.f_code):
                out.pop()  # the caller of an outlined region: the same Lua level
            out.append(lf)
        tb = tb.tb_next
    out.reverse()
    return out


def format_traceback(frames: list[LuaFrame]) -> str:
    """Lua's ``stack traceback:`` text for the given levels (innermost first)."""
    lines = ["stack traceback:"]
    for lf in frames:
        if lf.chunk is None:
            lines.append(f"\t[C]: in function '{lf.name}'")
        elif lf.name == "main chunk":
            lines.append(f"\t{lf.chunk.chunkname}:{lf.line}: in main chunk")
        else:
            lines.append(f"\t{lf.chunk.chunkname}:{lf.line}: in {lf.name}")
    lines.append("\t[C]: in ?")
    return "\n".join(lines)


# ====================================================================== levels for the debug library

# Python functions between two Lua levels that say how the inner one was called (PUC's
# ``funcnamefromcall``): code -> (namewhat, name), or a marker string. Filled lazily.
_GLUE: dict[CodeType, tuple[str, str] | str] = {}
HOOK_CODES: set[CodeType] = set()  # the debug library's hook dispatchers: callees are "hook"
_ARITH_EVENTS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "^": "pow", "//": "idiv",
                 "&": "band", "|": "bor", "~": "bxor", "<<": "shl", ">>": "shr"}


def _glue() -> dict[CodeType, tuple[str, str] | str]:
    if not _GLUE:
        from luavm import ops, runtime

        O = ops.Operators
        for fn, what in ((O.index, "index"), (O._index_general, "index"), (O.setindex, "newindex"),
                         (O.unm, "unm"), (O.bnot, "bnot"), (O.concat, "concat"), (O.concat_n, "concat"),
                         (O.length, "len"), (O.eq, "eq"), (O.lt, "lt"), (O.le, "le"),
                         (runtime.LuaRuntime._tbc_ok, "close"), (runtime.LuaRuntime._tbc_error, "close")):
            _GLUE[fn.__code__] = ("metamethod", what)
        _GLUE[O.arith.__code__] = "arith"
        _GLUE[O._order_mm.__code__] = "order"
        _GLUE[O._generic_iter.__code__] = ("for iterator", "for iterator")
        _GLUE[ops.tramp.__code__] = "tail"
        _GLUE[runtime.LuaRuntime._tbc_error.__code__] = "unwind"
        from luavm import genops

        G = genops.GenOps
        for fn, what in ((G.gidx, "index"), (G.gsetidx, "newindex"), (G.gunm, "unm"), (G.gbnot, "bnot"),
                         (G.gconcat, "concat"), (G.gconcat_n, "concat"), (G.glen, "len"), (G.geq, "eq"),
                         (G.gtbc_ok, "close"), (G.gtbc_error, "close")):
            _GLUE[fn.__code__] = ("metamethod", what)
        _GLUE[G.garith.__code__] = "arith"
        _GLUE[G._order.__code__] = "order"
        _GLUE[G.gstep.__code__] = ("for iterator", "for iterator")
        _GLUE[G.gtramp.__code__] = "tail"
        _GLUE[G.gtbc_error.__code__] = "unwind"
    return _GLUE


@dataclass(frozen=True)
class Level:
    """One Lua level on a Python stack: its frame and, for Lua functions, chunk and proto."""

    frame: FrameType
    chunk: ChunkInfo | None  # None: a builtin
    proto: FuncProto | None
    name: str  # a builtin's registered name, a Lua function's definition name
    caller: FrameType | None  # the frame of the next outer level (None at the bottom)
    glue: tuple[FrameType, ...] = ()  # the Python frames between this level and its caller

    @property
    def line(self) -> int:
        if self.chunk is None:
            return -1
        n = self.frame.f_lineno
        lines = self.chunk.lines
        cols = self.chunk.call_line_cols.get(n)
        if cols:  # in a call written on a line of its own: PUC's currentline is the call's
            try:
                pos = list(self.frame.f_code.co_positions())[self.frame.f_lasti // 2]
                col0, col1 = pos[2], pos[3]
            except (IndexError, TypeError):
                col0 = col1 = None
            if col0 is not None:
                for col, lua in cols:
                    if col0 <= col < (col1 if col1 is not None else 1 << 30):
                        return lua
        return lines[n] if 0 <= n < len(lines) else 0

    def call_info(self) -> tuple[str | None, str, bool]:
        """(name, namewhat, istailcall) as PUC's getinfo 'n' and 't' give them."""
        glue = _glue()
        for f in self.glue:
            g = glue.get(f.f_code)
            if f.f_code in HOOK_CODES:
                return "?", "hook", False
            if g is not None:
                if g == "tail":
                    return None, "", True
                if g == "arith":
                    return _ARITH_EVENTS.get(f.f_locals.get("op"), "?"), "metamethod", False
                if g == "order":
                    ev = f.f_locals.get("event", b"__lt")
                    return ev.decode()[2:], "metamethod", False
                if g == "unwind":
                    return "close", "metamethod", False
                return g[1], g[0], False
        c = self.caller
        if c is None:
            return None, "", False
        info = CHUNKS.get(c.f_code.co_filename)
        if info is None:
            return None, "", False  # called from a builtin (C)
        sites = info.calls.get(c.f_lineno)
        if not sites:
            return None, "", False
        desc = sites[0][1]
        if len(sites) > 1:
            try:
                pos = list(c.f_code.co_positions())[c.f_lasti // 2]
                col0, col1 = pos[2], pos[3]
            except (IndexError, TypeError):
                col0 = col1 = None
            if col0 is not None:
                inside = [d for col, d in sites if col0 <= col < (col1 if col1 is not None else 1 << 30)]
                if not inside and type(self.frame) is SyntheticFrame:
                    # a twin's in-place yield, ``((yield a) if f is _YIELD else _gcallx(f, desc, a))``:
                    # the call site is the first one after the yield
                    inside = [d for col, d in sites if col >= col0]
                desc = inside[0] if inside else None
        if not desc or " '" not in desc:
            return None, "", False
        what, _, name = desc.partition(" '")
        if what == "constant":
            return None, "", False
        return name[:-1], what, False


def _is_catcher(code: CodeType) -> bool:
    return BUILTIN_CODES.get(code) in ("pcall", "xpcall", "coroutine.resume", "coroutine.wrap")


def frame_chain(frame: FrameType | None) -> Iterator[FrameType]:
    """Python frames from ``frame`` outwards (``f_back``).

    xpcall's message handler runs after Python unwound the error's frames, but PUC runs it at
    the error point: from an xpcall frame holding the error's traceback (``tb``), the walk goes
    on from the innermost frame of the error (whose ``f_back`` chain leads back to xpcall)."""
    jumped: set[FrameType] = set()
    first = True
    while frame is not None:
        if not first and frame not in jumped and BUILTIN_CODES.get(frame.f_code) == "xpcall":
            tb = frame.f_locals.get("tb")
            if type(tb) is TracebackType:
                jumped.add(frame)
                while tb.tb_next is not None:
                    tb = tb.tb_next
                frame = tb.tb_frame
                continue
        first = False
        if frame.f_code in STACK_BOTTOMS:
            return  # a running coroutine's body: the resumer's levels are another thread's
        yield frame
        frame = frame.f_back


def levels(frames: FrameType | list[FrameType] | None) -> Iterator[Level]:
    """The Lua levels of a stack, innermost first: from a frame outwards, or over a list of
    frames innermost first (a suspended coroutine's, see ``coroutine_frames``).

    Levels an error is unwinding past are gone in PUC (its __close handlers run after the
    longjmp to pcall): from a ``_tbc_error`` frame out to the next pcall they are skipped."""
    glue = _glue()
    pending: tuple | None = None
    between: list[FrameType] = []
    skipping = False
    outlined = False  # the last level is an outlined region (compile.resolver.Region): merge its caller
    chain = frames if type(frames) is list else frame_chain(frames)
    for frame in chain:
        code = frame.f_code
        if skipping:
            if not _is_catcher(code):
                continue
            skipping = False
        elif pending is not None and glue.get(code) == "unwind":
            between.append(frame)
            skipping = True
            continue
        lf = classify(code, frame.f_lineno)
        if lf is None:
            between.append(frame)
            continue
        info = lf.chunk
        proto = info.protos.get(code.co_name) if info is not None else None
        if outlined:  # the function that called an outlined region: the region's own level
            outlined = is_outlined(code)
            between.append(frame)
            if proto is not None:
                pending = (pending[0], pending[1], proto, pending[3])
            continue
        if pending is not None:
            yield Level(*pending, frame, tuple(between))
        between = []
        pending = (frame, info, proto, lf.name)
        outlined = is_outlined(code)
    if pending is not None:
        yield Level(*pending, None, tuple(between))


def level_at(frames: FrameType | list[FrameType] | None, level: int) -> Level | None:
    for i, lv in enumerate(levels(frames)):
        if i == level:
            return lv
    return None


def coroutine_frames(co: Any) -> list[FrameType]:
    """The Python frames of a suspended coroutine, innermost first ([] if it has none now).

    The one accessor the debug library uses for a thread argument (getinfo, getlocal, setlocal,
    traceback of another coroutine). A coroutine type may provide ``co.debug_frames()``
    returning exactly this list: every frame of the coroutine's levels (generated Lua code,
    builtins such as ``coroutine.yield``, and the glue between them), innermost first, ending at
    the coroutine's body (never the resumer's frames); a generator-based coroutine builds it from
    its ``gi_frame``/``gi_yieldfrom`` chain. Frames may be those of suspended generators: only
    ``f_code``, ``f_lineno``, ``f_lasti`` and ``f_locals`` are read (and ``f_locals`` written by
    setlocal). Without that method (thread-based coroutines), it is the coroutine's OS thread's
    current stack, down to where the thread started."""
    get = getattr(co, "debug_frames", None)
    if get is not None:
        return list(get())
    th = getattr(co, "thread", None)
    if th is None or getattr(co, "status", "") != "suspended":
        return []
    frame = sys._current_frames().get(th.ident)
    out = []
    while frame is not None:
        out.append(frame)
        frame = frame.f_back
    return out


LEVELS1, LEVELS2 = 10, 11  # lauxlib.c: levels shown before and after the "..." of a long traceback


def _global_name(lv: Level, rt: Any) -> str | None:
    """PUC's ``pushglobalfuncname``: 'name' or 'mod.name' of a function found in package.loaded."""
    if lv.chunk is None:
        name = lv.name
        return name if name and name != "?" else None
    pkg = rt.globals.get(b"package") if rt is not None else None
    loaded = pkg.get(b"loaded") if type(pkg).__name__ == "LuaTable" else None
    if loaded is None:
        return None
    code = lv.frame.f_code
    for modname, mod in loaded.items():
        if type(mod).__name__ != "LuaTable" or type(modname) is not bytes:
            continue
        for k, v in mod.items():
            if type(k) is bytes and getattr(v, "__code__", None) is code:
                m = modname.decode("latin-1")
                return k.decode("latin-1") if m == "_G" else f"{m}.{k.decode('latin-1')}"
    return None


def describe_level(lv: Level, rt: Any) -> str:
    """How a traceback line names a level (luaL_traceback)."""
    gname = _global_name(lv, rt)
    if gname is not None:
        return f"function '{gname}'"
    name, namewhat, _ = lv.call_info()
    if namewhat:
        return f"{namewhat} '{name}'"
    if lv.proto is not None and lv.proto.name == "main chunk":
        return "main chunk"
    if lv.chunk is not None:
        return f"function <{lv.chunk.chunkname}:{lv.proto.linedefined if lv.proto else 0}>"
    return "?"


def format_levels(lvls: list[Level], rt: Any = None, bottom: bool = True) -> str:
    """Lua 5.4's ``stack traceback:`` text for these levels (innermost first).

    ``bottom``: end with lua.c's own C level ('[C]: in ?'), the levels run from the command."""
    items: list[Level | None] = list(lvls) + ([None] if bottom else [])  # None: lua.c's C level
    if len(items) > LEVELS1 + LEVELS2 + 1:
        # luaL_traceback shows 10 levels, then 11 from the end; its count says one level fewer
        # than it leaves out (the level fetched when the limit is hit is skipped too)
        skipped = len(items) - LEVELS1 - LEVELS2
        shown: list[Level | None | str] = items[:LEVELS1] + [f"...\t(skipping {skipped - 1} levels)"] \
            + items[-LEVELS2:]
    else:
        shown = list(items)
    rows = []
    for lv in shown:
        if lv is None:
            rows.append("\n\t[C]: in ?")
            continue
        if type(lv) is str:
            rows.append("\n\t" + lv)
            continue
        where = "[C]:" if lv.chunk is None else (
            f"{lv.chunk.chunkname}:{lv.line}:" if lv.line > 0 else f"{lv.chunk.chunkname}:")
        rows.append(f"\n\t{where} in {describe_level(lv, rt)}")
        if lv.call_info()[2]:
            rows.append("\n\t(...tail calls...)")
    return "stack traceback:" + "".join(rows)


def error_traceback(tb: TracebackType | None, rt: Any = None) -> str:
    """lua.c's traceback of an error that escaped to the host: the levels at the error point."""
    if tb is None:
        return format_levels([], rt)
    while tb.tb_next is not None:
        tb = tb.tb_next
    return format_levels(list(levels(tb.tb_frame)), rt)
