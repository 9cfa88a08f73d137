"""Maps Python frames of generated code back to Lua: chunk names, lines, function names.

Generated code costs nothing for positions at run time: each compiled chunk registers a line
table (Python line -> Lua line) under its unique Python file name, and builtins register their
code objects. Only when an error is raised do we walk the Python stack (or a traceback) and
translate. Lua "levels" count Lua functions and builtins alike, innermost first, as PUC does.
"""

from __future__ import annotations

import sys
import weakref
from dataclasses import dataclass, field
from types import CodeType, FrameType, TracebackType
from typing import Iterator


@dataclass
class ChunkInfo:
    """What the compiler records about one compiled chunk."""

    chunkname: str  # as shown in messages: 'x.lua', 'stdin', '[string "..."]'
    lines: list[int]  # Python line number -> Lua line (0 = unknown)
    functions: dict[str, tuple[str, int]] = field(default_factory=dict)  # py name -> (lua name, line)
    method_lines: set[int] = field(default_factory=set)  # Python lines that make a method call `o:m()`


# Weak: an entry lives as long as its compiled chunk is cached or loaded in a runtime
# (chunks.py), so compiled code never piles up in the process.
CHUNKS: weakref.WeakValueDictionary[str, ChunkInfo] = weakref.WeakValueDictionary()
BUILTIN_CODES: dict[CodeType, str] = {}  # builtin code object -> its Lua-visible name
# Code objects where a stack of Lua levels ends below the innermost: the outermost frame of a
# coroutine (coroutine.py), whose resumer's levels are another Lua thread's, as in PUC.
STACK_BOTTOMS: set[CodeType] = set()


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
        if code.co_name.startswith("_mk"):
            return None  # closure factories are never a Lua level
        line = info.lines[lineno] if 0 <= lineno < len(info.lines) else 0
        fname = info.functions.get(code.co_name, ("?", 0))[0]
        return LuaFrame(info, line, fname)
    name = BUILTIN_CODES.get(code)
    if name is not None:
        return LuaFrame(None, -1, name)
    return None


def is_outlined(code: CodeType) -> bool:
    """A region of a Lua function compiled as a function of its own (compiler.Region): it and
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
