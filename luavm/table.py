"""The Lua table: a dict subclass keyed by normalized Lua values.

Invariants every module relies on (generated code writes to the dict directly):
- no value stored is ``None`` (assigning nil deletes the key);
- keys are normalized: a float with an integral value is stored as ``int``, and booleans are
  stored as the sentinels ``TRUE_KEY``/``FALSE_KEY`` because ``True == 1`` in Python;
- ``None`` and NaN are never keys;
- identity equality and hashing, so tables can be keys of other tables;
- never test a table's truth with ``if t:`` (an empty dict is falsy in Python).

The length operator keeps a border hint so ``t[#t + 1] = v`` loops stay O(1).
"""

from __future__ import annotations

from typing import Any, Iterable

from luavm.errors import LuaError
from luavm.numbers import MAXINT, MININT


class _BoolKey:
    __slots__ = ("value",)

    def __init__(self, value: bool):
        self.value = value

    def __repr__(self) -> str:
        return f"<{str(self.value).lower()} key>"


TRUE_KEY = _BoolKey(True)
FALSE_KEY = _BoolKey(False)


class LuaTable(dict):
    __slots__ = ("meta", "border", "_order", "_pos", "__weakref__")

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.meta: LuaTable | None = None
        self.border = 0
        self._order: list | None = None
        self._pos: dict | None = None

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __repr__(self) -> str:
        return f"<LuaTable 0x{id(self):08x}>"

    def __bool__(self) -> bool:  # a table is always a true value
        return True


def norm_key(key: Any) -> Any:
    """Normalize a Lua value for use as a dict key (raises Lua's errors for nil and NaN)."""
    tk = type(key)
    if tk is int or tk is bytes:
        return key
    if tk is float:
        if key != key:
            raise LuaError("table index is NaN", level=0)
        if key.is_integer() and -9.3e18 < key < 9.3e18:
            i = int(key)
            if MININT <= i <= MAXINT:
                return i
        return key
    if tk is bool:
        return TRUE_KEY if key else FALSE_KEY
    if key is None:
        raise LuaError("table index is nil", level=0)
    return key


def lookup_key(key: Any) -> Any:
    """Normalize a key for reading: like ``norm_key`` but nil and NaN simply find nothing."""
    tk = type(key)
    if tk is bool:
        return TRUE_KEY if key else FALSE_KEY
    return key  # dict lookup already equates 2.0 with 2; None/NaN are never stored


def denorm_key(key: Any) -> Any:
    """The Lua value of a stored key."""
    if type(key) is _BoolKey:
        return key.value
    return key


def rawget(t: LuaTable, key: Any) -> Any:
    return t.get(lookup_key(key))


def rawset(t: LuaTable, key: Any, value: Any) -> None:
    key = norm_key(key)
    if value is None:
        t.pop(key, None)
    else:
        t[key] = value


def rawlen(t: LuaTable) -> int:
    """A border of ``t``: n >= 0 with t[n] ~= nil (or n == 0) and t[n+1] == nil."""
    n = t.border
    if n and n not in t:
        n -= 1
        while n and n not in t:
            n -= 1
    else:
        while (n + 1) in t:
            n += 1
    t.border = n
    return n


def next_key(t: LuaTable, key: Any) -> tuple[Any, Any] | None:
    """Lua's ``next``: the entry after ``key`` (or the first one for nil), None at the end.

    Traversal order is the dict's insertion order. A snapshot of the keys taken at the start
    of a traversal lets fields be cleared (set to nil) while traversing, as Lua allows.
    """
    if key is None:
        order = list(t.keys())
        t._order = order
        t._pos = None
        i = 0
    else:
        k = lookup_key(key)
        if type(k) is float and k.is_integer():
            k = norm_key(k)
        order = t._order
        if order is None or t._pos is None:
            if order is None:
                order = t._order = list(t.keys())
            t._pos = {kk: j for j, kk in enumerate(order)}
        j = t._pos.get(k)
        if j is None:
            raise LuaError("invalid key to 'next'", level=1)
        i = j + 1
    n = len(order)
    while i < n:
        k = order[i]
        v = t.get(k)
        if v is not None:
            return denorm_key(k), v
        i += 1
    t._order = None
    t._pos = None
    return None


def from_list(values: Iterable[Any]) -> LuaTable:
    """A sequence table {v1, v2, ...}; nil values leave holes."""
    t = LuaTable()
    i = 0
    for i, v in enumerate(values, 1):
        if v is not None:
            t[i] = v
    t.border = 0
    return t


def to_list(t: LuaTable) -> list[Any]:
    """The values t[1..#t] (raw)."""
    return [t.get(i) for i in range(1, rawlen(t) + 1)]
