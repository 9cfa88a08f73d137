"""Conversions between host (Python) data and Lua values, for embedders such as prtip.

Host functions exposed to Lua receive plain Lua values (bytes, int, float, bool, None,
LuaTable) and never Python objects, so a script has no path to Python attributes. These
helpers build Lua tables from Python data and read them back, with depth and size bounds so a
hostile table cannot make the host recurse or loop without end.
"""

from __future__ import annotations

from typing import Any, Callable

from luavm.luanumbers import MAXINT, MININT
from luavm.table import LuaTable, denorm_key, rawlen
from luavm.userdata import Userdata

MAX_DEPTH = 64


class ConversionError(ValueError):
    """A value cannot cross the host/Lua boundary (wrong type, too deep, cyclic)."""


def to_lua(value: Any, _depth: int = 0) -> Any:
    """Python data -> Lua value: str -> bytes, list/tuple -> sequence, dict -> table."""
    if _depth > MAX_DEPTH:
        raise ConversionError("value nested too deeply for Lua")
    if value is None or isinstance(value, (bool, bytes, float, LuaTable, Userdata)):
        return value
    if isinstance(value, int):
        if not MININT <= value <= MAXINT:
            return float(value)
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, dict):
        t = LuaTable()
        for k, v in value.items():
            if v is None:
                continue
            lk = to_lua(k, _depth + 1)
            if lk is None:
                continue
            from luavm.table import norm_key

            t[norm_key(lk)] = to_lua(v, _depth + 1)
        return t
    if isinstance(value, (list, tuple)):
        t = LuaTable()
        for i, v in enumerate(value, 1):
            if v is not None:
                t[i] = to_lua(v, _depth + 1)
        return t
    if callable(value):
        return value
    raise ConversionError(f"cannot convert {type(value).__name__} to a Lua value")


def from_lua(value: Any, *, decode: bool = False, _depth: int = 0, _seen: set | None = None) -> Any:
    """Lua value -> Python data. Sequences become lists, other tables dicts; bytes stay bytes
    unless ``decode`` (UTF-8 with surrogateescape, so nothing is lost). Functions are refused."""
    if value is None or type(value) in (bool, int, float):
        return value
    if type(value) is bytes:
        return value.decode("utf-8", "surrogateescape") if decode else value
    if type(value) is LuaTable:
        if _depth > MAX_DEPTH:
            raise ConversionError("table nested too deeply")
        seen = _seen if _seen is not None else set()
        if id(value) in seen:
            raise ConversionError("table contains a cycle")
        seen.add(id(value))
        try:
            n = rawlen(value)
            if n == len(value):
                return [from_lua(value[i], decode=decode, _depth=_depth + 1, _seen=seen) for i in range(1, n + 1)]
            out = {}
            for k, v in value.items():
                pk = from_lua(denorm_key(k), decode=decode, _depth=_depth + 1, _seen=seen)
                if isinstance(pk, (list, dict)):
                    raise ConversionError("table keys must be strings, numbers or booleans")
                out[pk] = from_lua(v, decode=decode, _depth=_depth + 1, _seen=seen)
            return out
        finally:
            seen.discard(id(value))
    raise ConversionError(f"cannot convert a Lua {type(value).__name__} value")


def lua_function(fn: Callable[..., Any], name: str) -> Callable[..., tuple]:
    """Wrap a host function so Lua can call it: results normalised to a tuple of Lua values."""
    from luavm.callstack import register_builtin

    def call(*args: Any) -> tuple:
        r = fn(*args)
        if r is None:
            return ()
        if isinstance(r, tuple):
            return tuple(to_lua(x) for x in r)
        return (to_lua(r),)

    # a code object of its own, so tracebacks and error positions can name this function
    call.__code__ = call.__code__.replace(co_name=name.replace(".", "_"))
    call.__name__ = name
    register_builtin(call, name, qualified=True)
    return call
