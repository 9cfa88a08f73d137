"""Argument checks for the host functions plugins call, with PUC Lua's "bad argument" wording.

Built on luavm's public ``typename`` and ``number2str``; the messages are exactly
luaL_argerror's: ``bad argument #2 to 'connect' (number expected, got nil)``. Host functions
raise them with ``level=1`` so the plugin sees its own file and line.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

from luavm import LuaError, number2str, typename

__all__ = ["typename"]  # re-exported for the plugin modules


def arg_error(n: int, fname: str, message: str) -> NoReturn:
    raise LuaError(f"bad argument #{n} to '{fname}' ({message})", level=1)


def type_error(args: tuple, n: int, fname: str, expected: str) -> NoReturn:
    got = "no value" if len(args) < n else typename(args[n - 1])
    arg_error(n, fname, f"{expected} expected, got {got}")


def arg(args: tuple, n: int) -> Any:
    return args[n - 1] if len(args) >= n else None


def check_string(args: tuple, n: int, fname: str) -> bytes:
    """A string argument; numbers are converted, as luaL_checklstring does."""
    v = arg(args, n)
    if type(v) is bytes:
        return v
    if type(v) is int or type(v) is float:
        return number2str(v)
    type_error(args, n, fname, "string")


def check_number(args: tuple, n: int, fname: str) -> float | int:
    v = arg(args, n)
    if type(v) is int or type(v) is float:
        return v
    type_error(args, n, fname, "number")


def opt_number(args: tuple, n: int, fname: str, default: float) -> float | int:
    return default if arg(args, n) is None else check_number(args, n, fname)


def check_integer(args: tuple, n: int, fname: str) -> int:
    v = arg(args, n)
    if type(v) is int:
        return v
    if type(v) is float:
        if math.isfinite(v) and v.is_integer():
            return int(v)
        arg_error(n, fname, "number has no integer representation")
    type_error(args, n, fname, "number")


def check_option(args: tuple, n: int, fname: str, options: tuple[str, ...], default: str | None = None) -> str:
    v = arg(args, n)
    if v is None and default is not None:
        return default
    s = check_string(args, n, fname).decode("latin-1")
    if s not in options:
        arg_error(n, fname, f"invalid option '{s}'")
    return s


def check_seconds(args: tuple, n: int, fname: str, default: float, maximum: float) -> float:
    """A timeout in seconds within [0, maximum] (the plugin API's documented bounds)."""
    v = opt_number(args, n, fname, default)
    if not (0 <= v <= maximum):  # also refuses NaN
        arg_error(n, fname, f"timeout must be between 0 and {maximum:g} seconds")
    return float(v)
