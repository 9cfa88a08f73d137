"""luavm: a Lua 5.4 interpreter in pure Python with exact instruction and memory limits.

Public API::

    from luavm import LuaRuntime, Limits, LuaError
    rt = LuaRuntime(sandbox=True, limits=Limits(instructions=1_000_000))
    rt.execute("return 1 + 1")            # -> (2,)
"""

from __future__ import annotations

__version__ = "0.1.0"

from luavm.errors import (
    InstructionLimitExceeded, InternalError, LimitExceeded, LuaError, LuaSyntaxError, LuavmError, MemoryLimitExceeded,
    TimeLimitExceeded,
)
from luavm.lib.args import typename
from luavm.meter import Limits, Stats
from luavm.numbers import number2str
from luavm.table import LuaTable
from luavm.userdata import Userdata

__all__ = [
    "InstructionLimitExceeded", "InternalError", "LimitExceeded", "Limits", "LuaError", "LuaRuntime", "LuaSyntaxError",
    "LuaTable", "LuavmError", "MemoryLimitExceeded", "Stats", "TimeLimitExceeded", "Userdata", "__version__",
    "number2str", "typename",
]


def __getattr__(name: str):
    if name == "LuaRuntime":  # late: the runtime imports the libraries
        from luavm.runtime import LuaRuntime

        return LuaRuntime
    raise AttributeError(name)
