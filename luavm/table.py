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

from typing import Any, Iterable, Iterator

from luavm.errors import LuaError
from luavm.luanumbers import MAXINT, MININT


class _BoolKey:
    __slots__ = ("value",)

    def __init__(self, value: bool):
        self.value = value

    def __repr__(self) -> str:
        return f"<{str(self.value).lower()} key>"


TRUE_KEY = _BoolKey(True)
FALSE_KEY = _BoolKey(False)


_dict_init = dict.__init__


class LuaTable(dict):
    __slots__ = ("meta", "border", "_order", "_pos", "_head", "__weakref__")

    def __init__(self, items: Any = None):
        """``items``: a mapping or pairs, as dict's one argument (keys already normalized).
        Called for every table a script builds: dict.__init__ only when there is something
        to copy, no super() (half the cost of an empty table's construction)."""
        if items is not None:
            _dict_init(self, items)
        self.meta: LuaTable | None = None
        self.border = 0
        self._order: list | None = None  # traversal snapshot (next_key)
        self._pos: dict | None = None
        self._head = 0  # no key before this position of _order is still present

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


def rawpairs(t: LuaTable) -> Iterator[tuple[Any, Any]]:
    """Every (key, value) of ``t`` as Lua values (boolean keys restored), no ``__pairs``:
    how a host walks a table without knowing how keys are stored."""
    for key, value in t.items():
        yield denorm_key(key), value


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


def forget_order(t: LuaTable) -> None:
    """A new key is about to be stored in ``t``: a traversal snapshot no longer lists every key.

    Every path that adds a key to an existing table calls this (through ``rt.alloc_slot``), so
    a snapshot that survives is exact: it holds every key of the table, in a fixed order (keys
    cleared since are skipped). Lua leaves a traversal undefined when a new key is added during
    it; here the next ``next`` simply re-snapshots.
    """
    t._order = None
    t._pos = None
    t._head = 0


def next_key(t: LuaTable, key: Any, on_snapshot: Any = None) -> tuple[Any, Any] | None:
    """Lua's ``next``: the entry after ``key`` (or the first one for nil), None at the end.

    Traversal order is a snapshot of the dict's keys (``_order``) with a key -> position index
    (``_pos``), taken when a traversal finds none and kept until a key is added
    (``forget_order``), so ``next(t)`` and ``next(t, k)`` are O(1) however they alternate, and
    fields can be cleared while traversing, as Lua allows. ``_head`` is advanced past cleared
    keys so draining a table front to back stays O(1) per step. ``on_snapshot(n)`` is told when
    a snapshot of ``n`` keys is taken, to charge for it (docs/METERING.md).
    """
    order = t._order
    if order is None:
        if on_snapshot is not None:
            on_snapshot(len(t))  # charged before it is built, like every allocation
        order = t._order = list(t.keys())
        t._pos = dict(zip(order, range(len(order))))
        t._head = 0
    pos = t._pos
    if key is None:
        i = t._head if t._head < len(order) else len(order)
        while i < len(order) and order[i] not in t:
            i += 1
        t._head = i
    else:
        k = lookup_key(key)
        if type(k) is float and k.is_integer():
            k = norm_key(k)
        j = pos.get(k)
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
