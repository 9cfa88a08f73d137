"""The luavm error tree: what a Lua script, the loader and the meter can raise.

    LuavmError                      base of everything luavm raises on purpose
    ├── LuaError                    a Lua-level error: catchable by pcall, carries any Lua value
    │   └── LuaSyntaxError          a chunk failed to compile (``load`` returns it as a message)
    ├── LimitExceeded               a resource limit was hit: never catchable from Lua
    │   ├── InstructionLimitExceeded
    │   ├── MemoryLimitExceeded
    │   └── TimeLimitExceeded
    └── InternalError               a luavm bug: some other Python exception escaped (its cause)

Foreign (Python) exceptions are translated by ``translate`` at the two boundaries where Lua
code is compiled (``compile.codegen.compile_chunk``, ``LuaRuntime.compile``) and run
(``LuaRuntime.pcall_host``); see docs/ARCHITECTURE.md, "No Python error escapes".

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


class InternalError(LuavmError):
    """A luavm bug: a Python exception that is not luavm's own escaped (``__cause__``).

    Not a LuaError, so no ``pcall`` can catch it and the fuzz tests (tests/fuzz) fail on it;
    the ``luavm`` command prints it as one line, never as a Python traceback."""


def translate(e: BaseException) -> LuavmError:
    """The one translation of a foreign exception raised while compiling or running Lua.

    luavm's own errors pass as they are; running out of real memory is Lua's catchable
    ``not enough memory``; anything else is a luavm bug (InternalError). RecursionError is
    handled where the Lua stack is known (``chunk:line: stack overflow``)."""
    if isinstance(e, LuavmError):
        return e
    if isinstance(e, MemoryError):
        return LuaError(b"not enough memory")
    err = InternalError(f"internal error (a luavm bug): {type(e).__name__}: {e}")
    err.__cause__ = e
    return err
