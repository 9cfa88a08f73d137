"""The plugin sandbox: what a script run with ``LuaRuntime(sandbox=True)`` can and cannot do.

Assumptions and guarantees (also in docs/SECURITY.md), enforced here and where noted:

1. Globals are a fresh allow-listed table per runtime: base functions without file access
   (no dofile, loadfile, require: baselib.py), and the libraries of ``SANDBOX_LIBRARIES``,
   the one allow-list lib/__init__.py opens from. No io, os, debug, package.
   ``collectgarbage`` accepts only "count".
2. ``load`` takes text chunks only (binary chunks are refused), is metered (1 instruction per
   16 bytes compiled, memory charged 4 bytes per source byte) and size-capped (baselib.py).
   ``string.dump`` does not exist in the sandbox.
3. Library tables and the string metatable are read-only (``ReadOnlyTable``): assigning
   ``string.rep = f``, ``rawset(string, ...)``, ``table.insert(math, ...)`` or setting their
   metatable raises a Lua error. They are created per runtime, so nothing a script does can
   reach another runtime or the host.
4. No path from Lua to Python objects: indexing any value goes through Lua semantics only
   (ops.py never falls back to Python attributes); userdata expose only their metatable;
   host functions receive plain Lua values (luavm/convert.py).
5. Resource limits (meter.py) cannot be caught (LimitExceeded is not a LuaError) and cover
   builtins, metamethods and coroutines.

Known limits: wall-clock time is checked every few thousand instructions, so a single builtin
call (bounded by its instruction and memory charge) may overrun a deadline by its own
duration; memory accounting follows the documented size model, not CPython's real usage.
"""

from __future__ import annotations

from typing import Any, NoReturn

from luavm.errors import LuaError
from luavm.table import LuaTable

SANDBOX_LIBRARIES = frozenset({"string", "table", "math", "utf8", "coroutine"})  # lib/__init__.py's REGISTRY names


def _readonly() -> NoReturn:
    raise LuaError("attempt to modify a read-only table", level=0)


class ReadOnlyTable(LuaTable):
    """A library table scripts can read but never change (every mutating dict method refuses)."""

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        _readonly()

    def __delitem__(self, key: Any) -> None:
        _readonly()

    def pop(self, *args: Any) -> Any:
        _readonly()

    def popitem(self) -> Any:
        _readonly()

    def clear(self) -> None:
        _readonly()

    def update(self, *args: Any, **kw: Any) -> None:
        _readonly()

    def setdefault(self, *args: Any) -> Any:
        _readonly()


def freeze(t: LuaTable) -> ReadOnlyTable:
    """A read-only copy of a library table (its metatable, if any, is kept)."""
    ro = ReadOnlyTable()
    for k, v in t.items():
        dict.__setitem__(ro, k, v)
    ro.meta = t.meta
    return ro
