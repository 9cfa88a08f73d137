"""A small `debug` library for standalone scripts: traceback, getinfo, raw metatables.

Only what ordinary scripts use (``xpcall(f, debug.traceback)``, ``debug.getinfo(1, "Sl")``);
never installed in the sandbox, because it would let a script read and change anything.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from luavm import callstack
from luavm.lib.args import opt_int, type_error
from luavm.table import LuaTable

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime


def open_debug(rt: LuaRuntime) -> LuaTable:
    def traceback(*args: Any) -> tuple:
        msg = args[0] if args else None
        if msg is not None and type(msg) is not bytes and type(msg) not in (int, float):
            return (msg,)
        level = opt_int(args, 2, "traceback", 1)
        frames = list(callstack.frames_from(sys._getframe(1)))[level:]
        text = callstack.format_traceback(frames).encode("utf-8", "surrogateescape")
        if msg is not None:
            text = rt.tostring(msg) + b"\n" + text
        return (text,)

    def getinfo(*args: Any) -> tuple:
        what = args[0] if args else None
        frames = list(callstack.frames_from(sys._getframe(1)))
        info = LuaTable()
        if type(what) is int:
            if not 0 <= what < len(frames):
                return (None,)
            lf = frames[what]
        elif callable(what):
            info[b"what"] = b"Lua"
            info[b"source"] = b"=?"
            info[b"short_src"] = b"?"
            info[b"func"] = what
            return (info,)
        else:
            type_error(args, 1, "getinfo", "function or level")
        if lf.chunk is None:
            info[b"what"] = b"C"
            info[b"source"] = b"=[C]"
            info[b"short_src"] = b"[C]"
            info[b"currentline"] = -1
        else:
            info[b"what"] = b"main" if lf.name == "main chunk" else b"Lua"
            src = lf.chunk.chunkname.encode("utf-8", "surrogateescape")
            info[b"source"] = b"@" + src
            info[b"short_src"] = src
            info[b"currentline"] = lf.line
        return (info,)

    def getmetatable(*args: Any) -> tuple:
        return (rt.getmetatable(args[0] if args else None),)

    def setmetatable(*args: Any) -> tuple:
        v = args[0] if args else None
        mt = args[1] if len(args) > 1 else None
        if mt is not None and type(mt) is not LuaTable:
            type_error(args, 2, "setmetatable", "nil or table")
        if type(v) is LuaTable:
            v.meta = mt
        else:
            rt.ops.set_type_metatable(v, mt)
        return (v,)

    t = LuaTable()
    for name, f in {"traceback": traceback, "getinfo": getinfo, "getmetatable": getmetatable,
                    "setmetatable": setmetatable}.items():
        t[name.encode()] = f
    return t
