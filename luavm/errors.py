"""The luavm error tree: what a Lua script, the loader and the meter can raise.

    LuavmError                      base of everything luavm raises on purpose
    ├── LuaError                    a Lua-level error: catchable by pcall, carries any Lua value
    │   └── LuaSyntaxError          a chunk failed to compile (``load`` returns it as a message)
    └── LimitExceeded               a resource limit was hit: never catchable from Lua
        ├── InstructionLimitExceeded
        ├── MemoryLimitExceeded
        └── TimeLimitExceeded

``LimitExceeded`` deliberately does not derive from ``LuaError``: every ``except LuaError``
in the runtime (pcall, xpcall, coroutine.resume, __close handling) lets it pass untouched.
"""

from __future__ import annotations


class LuavmError(Exception):
    """Base class for all errors raised by luavm."""


class LuaError(LuavmError):
    """An error raised by Lua code (``error(v)``) or by the runtime on its behalf.

    ``value`` is the Lua error value (bytes for messages, but any Lua value is allowed).
    ``traceback`` is filled in lazily by the host when the error escapes to Python.
    ``level`` adds the ``chunk:line:`` prefix the way PUC Lua does, counting Lua functions and
    builtins on the current stack from the innermost (0): a builtin raises with ``level=1``
    (``luaL_error``: the position of whoever called the builtin), an operator's slow path with
    ``level=0`` (``luaG_runerror``: the running function, if it is Lua). No prefix is added
    when that frame is a builtin. ``None`` leaves the message alone. ``str`` is encoded to bytes.
    """

    def __init__(self, value: object, traceback: str | None = None, *, level: int | None = None):
        if level is not None and isinstance(value, (bytes, str)):
            from luavm.callstack import where  # late: callstack imports the compiled-code registry

            if isinstance(value, str):
                value = value.encode()
            value = where(level) + value
        elif isinstance(value, str):
            value = value.encode()
        super().__init__(value)
        self.value = value
        self.traceback = traceback

    def __str__(self) -> str:
        v = self.value
        if isinstance(v, bytes):
            return v.decode("utf-8", "replace")
        if v is None:
            return "nil"
        return str(v)


class LuaSyntaxError(LuaError):
    """A chunk could not be parsed; ``value`` is Lua's message, e.g. ``x.lua:3: unexpected symbol near 'end'``."""


class LimitExceeded(LuavmError):
    """A resource limit stopped the script. Not a LuaError: pcall cannot catch it."""

    kind = "resource"

    def __init__(self, limit: float | int, message: str):
        super().__init__(message)
        self.limit = limit
        self.location = ""  # 'chunk:line' of the Lua code running when the limit hit, if any
        try:
            from luavm.callstack import current_location

            self.location = current_location()
        except ImportError:  # pragma: no cover - callstack always exists
            pass


class InstructionLimitExceeded(LimitExceeded):
    kind = "instructions"

    def __init__(self, limit: int):
        super().__init__(limit, f"instruction limit of {limit} exceeded")


class MemoryLimitExceeded(LimitExceeded):
    kind = "memory"

    def __init__(self, limit: int):
        super().__init__(limit, f"memory limit of {limit} bytes exceeded")


class TimeLimitExceeded(LimitExceeded):
    kind = "time"

    def __init__(self, limit: float):
        super().__init__(limit, f"time limit of {limit:g} s exceeded")
