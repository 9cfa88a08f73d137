"""Argument checking for builtins: every "bad argument #n to 'f'" message comes from here.

Builtins receive their Lua arguments as a Python tuple ``args``; argument ``n`` (1-based in
messages) is ``args[n-1]``. An index past the end is "no value", which Lua distinguishes
from an explicit nil in messages. Like luaL_check*, ``n`` counts ``self`` in a method's
arguments: called as ``f:write(x)``, ``x`` is argument 2, and the message says #1 (or
"calling 'write' on bad self" for argument 1), exactly as PUC Lua words it.

These checks are public (re-exported by ``luavm``, as gopher-lua's auxlib is), so host
functions an embedder gives Lua word their errors as the standard library does.
"""

from __future__ import annotations

import math
from typing import Any, Collection, NoReturn

from luavm.errors import LuaError
from luavm.luanumbers import MAXINT, MININT
from luavm.table import LuaTable
from luavm.userdata import Userdata


def typename(v: Any) -> str:
    """Lua's ``type(v)`` as a Python str."""
    if v is None:
        return "nil"
    t = type(v)
    if t is bool:
        return "boolean"
    if t is int or t is float:
        return "number"
    if t is bytes:
        return "string"
    if t is LuaTable or isinstance(v, LuaTable):
        return "table"
    if callable(v):
        return "function"
    from luavm.coroutine import Coroutine  # late: coroutine imports the runtime

    if isinstance(v, Coroutine):
        return "thread"
    return "userdata"  # luavm.userdata.Userdata


def arg_error(n: int, fname: str, msg: str) -> NoReturn:
    name, method = _called_name(fname)
    if method:  # luaL_argerror: a method call does not count self
        n -= 1
        if n == 0:
            raise LuaError(f"calling '{name}' on bad self ({msg})", level=1)
    raise LuaError(f"bad argument #{n} to '{name}' ({msg})", level=1)


def _called_name(fname: str) -> tuple[str, bool]:
    """How PUC names a builtin in messages, and whether it was called as a method: 'rep' from Lua
    code, 'string.rep' from a builtin such as pcall (``luaL_argerror`` then falls back to the
    loaded-table name)."""
    import sys

    from luavm.callstack import BUILTIN_CODES, classify

    f = sys._getframe(2)
    while f is not None:
        name = BUILTIN_CODES.get(f.f_code)
        if name is not None:
            caller = f.f_back
            while caller is not None:
                lf = classify(caller.f_code, caller.f_lineno)
                if lf is not None:
                    if lf.chunk is None:
                        return name, False
                    return fname, caller.f_lineno in lf.chunk.method_lines
                caller = caller.f_back
            return fname, False  # called straight from the host
        f = f.f_back
    return fname, False


def type_error(args: tuple, n: int, fname: str, expected: str) -> NoReturn:
    got = "no value" if n > len(args) else typename_for_error(args[n - 1])
    arg_error(n, fname, f"{expected} expected, got {got}")


def typename_for_error(v: Any) -> str:
    """``luaT_objtypename``: the ``__name`` of a table's metatable when it is a string."""
    if isinstance(v, (LuaTable, Userdata)) and v.meta is not None:
        name = v.meta.get(b"__name")
        if type(name) is bytes:
            return name.decode("latin-1")
    return typename(v)


def get_arg(args: tuple, n: int) -> Any:
    """Argument ``n``, or nil when there is none (``lua_toXXX`` without a check)."""
    return args[n - 1] if n <= len(args) else None


def check_any(args: tuple, n: int, fname: str) -> Any:
    if n > len(args):
        arg_error(n, fname, "value expected")
    return args[n - 1]


def check_table(args: tuple, n: int, fname: str) -> LuaTable:
    v = args[n - 1] if n <= len(args) else None
    if not isinstance(v, LuaTable):
        type_error(args, n, fname, "table")
    return v


def check_number(args: tuple, n: int, fname: str) -> int | float:
    v = args[n - 1] if n <= len(args) else None
    t = type(v)
    if t is int or t is float:
        return v
    if t is bytes:
        from luavm.luanumbers import str2number

        r = str2number(v)
        if r is not None:
            return r
    type_error(args, n, fname, "number")


def check_int(args: tuple, n: int, fname: str) -> int:
    v = args[n - 1] if n <= len(args) else None
    t = type(v)
    if t is int:
        return v
    if t is float:
        if v.is_integer() and -9.3e18 < v < 9.3e18 and MININT <= int(v) <= MAXINT:
            return int(v)
        arg_error(n, fname, "number has no integer representation")
    if t is bytes:
        from luavm.luanumbers import str2number

        r = str2number(v)
        if type(r) is int:
            return r
        if type(r) is float:
            if r.is_integer() and MININT <= r <= MAXINT:
                return int(r)
            arg_error(n, fname, "number has no integer representation")
    type_error(args, n, fname, "number")


def check_str(args: tuple, n: int, fname: str) -> bytes:
    """A string argument; numbers are converted as Lua does (``luaL_checklstring``)."""
    v = args[n - 1] if n <= len(args) else None
    t = type(v)
    if t is bytes:
        return v
    if t is int or t is float:
        from luavm.luanumbers import number2str

        return number2str(v)
    type_error(args, n, fname, "string")


def opt_int(args: tuple, n: int, fname: str, default: int | None) -> int | None:
    if n > len(args) or args[n - 1] is None:
        return default
    return check_int(args, n, fname)


def opt_number(args: tuple, n: int, fname: str, default: Any) -> Any:
    if n > len(args) or args[n - 1] is None:
        return default
    return check_number(args, n, fname)


def opt_str(args: tuple, n: int, fname: str, default: bytes | None) -> bytes | None:
    if n > len(args) or args[n - 1] is None:
        return default
    return check_str(args, n, fname)


def check_option(args: tuple, n: int, fname: str, options: Collection[str], default: str | None = None) -> str:
    if default is not None and (n > len(args) or args[n - 1] is None):
        return default
    s = check_str(args, n, fname).decode("latin-1")
    if s not in options:
        arg_error(n, fname, f"invalid option '{s}'")
    return s


def is_finite(x: float) -> bool:
    return not (math.isinf(x) or math.isnan(x))
