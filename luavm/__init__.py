"""luavm: a Lua 5.4 interpreter in pure Python with exact instruction and memory limits.

Public API (everything an embedder imports; the modules behind it are private)::

    from luavm import LuaRuntime, Limits, LuaError
    rt = LuaRuntime(sandbox=True, limits=Limits(instructions=1_000_000))
    rt.execute("return 1 + 1")            # -> (2,)

- running: ``LuaRuntime``, ``Limits`` (and ``parse_size`` for "64KiB"-style sizes), ``Stats``;
- errors: ``LuavmError`` > ``LuaError`` > ``LuaSyntaxError``, ``LimitExceeded`` and its three
  kinds, ``InternalError``; ``ConversionError`` for host data that cannot become Lua;
- values: ``LuaTable``, ``Userdata``, ``typename``, ``number2str``, ``str2number``; tables
  read and written raw with ``rawget``/``rawset``/``rawlen``/``rawpairs``;
- host functions: ``lua_function`` wraps a Python function for Lua, ``to_lua``/``from_lua``
  convert data, and the argument checks (``check_int``, ``check_str``, ``opt_number``…,
  ``arg_error``, ``type_error``) word errors as PUC Lua's ``luaL_check*`` do.

tests/vm/test_public_api.py pins this list; prtip imports nothing else.
"""

__version__ = "0.1.0"

from luavm.convert import ConversionError, from_lua, lua_function, to_lua
from luavm.errors import (
    InstructionLimitExceeded, InternalError, LimitExceeded, LuaError, LuaSyntaxError, LuavmError, MemoryLimitExceeded,
    TimeLimitExceeded,
)
from luavm.lib.args import (
    arg_error, check_any, check_int, check_number, check_option, check_str, check_table, get_arg, opt_int, opt_number,
    opt_str, type_error, typename,
)
from luavm.meter import Limits, Stats, parse_size
from luavm.luanumbers import number2str, str2number
from luavm.table import LuaTable, rawget, rawlen, rawpairs, rawset
from luavm.userdata import Userdata

__all__ = [
    "__version__",
    "arg_error",
    "check_any",
    "check_int",
    "check_number",
    "check_option",
    "check_str",
    "check_table",
    "ConversionError",
    "from_lua",
    "get_arg",
    "InstructionLimitExceeded",
    "InternalError",
    "LimitExceeded",
    "Limits",
    "lua_function",
    "LuaError",
    "LuaRuntime",
    "LuaSyntaxError",
    "LuaTable",
    "LuavmError",
    "MemoryLimitExceeded",
    "number2str",
    "opt_int",
    "opt_number",
    "opt_str",
    "parse_size",
    "rawget",
    "rawlen",
    "rawpairs",
    "rawset",
    "Stats",
    "str2number",
    "TimeLimitExceeded",
    "to_lua",
    "type_error",
    "typename",
    "Userdata",
]


def __getattr__(name: str):
    if name == "LuaRuntime":  # late: the runtime imports the libraries
        from luavm.runtime import LuaRuntime

        return LuaRuntime
    raise AttributeError(name)
