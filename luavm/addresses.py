"""Deterministic object addresses: what ``tostring({})``, ``%p`` and ``print(f)`` show.

PUC prints malloc addresses; Python's ``id()`` changes from run to run, and a program that reads
addresses (sorts by ``tostring(t)``, branches on ``%p``) would then use a different instruction
count each time, which breaks luavm's promise that limits are exact and repeatable. Here every
runtime numbers its objects in the order their address is first asked for, so the same program
prints the same addresses on every run and every machine.

The rules follow what PUC's addresses let a program observe:
- distinct live objects have distinct addresses; an object keeps its address while it lives
  (tables, functions, threads, userdata: held weakly, so asking never keeps anything alive);
- short strings (at most ``SHORT_STRING`` bytes) are interned in PUC, so equal contents give
  equal addresses: the address is a fixed function of the content, in a range of its own;
- long strings are separate objects in PUC: each Python object gets its own number. bytes cannot
  be weakly referenced, so the last ``LONG_STRINGS_KEPT`` of them (at most ``LONG_STRING_BYTES``
  bytes in all) are remembered; an older or larger one gets a new number when asked again,
  which PUC could also show had it freed and reallocated the string.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from typing import Any

SHORT_STRING = 40  # LUAI_MAXSHORTLEN
LONG_STRINGS_KEPT = 64
LONG_STRING_BYTES = 1 << 20
_OBJECT_BASE = 0x5555_0000_0000  # numbered objects: BASE + 0x40 * n, like a heap's spacing
_STRING_BASE = 0x7f00_0000_0000  # short strings: a hash of the content, 8-aligned, below 2^47


class Addresses:
    """The address table of one runtime."""

    __slots__ = ("_next", "_objects", "_long", "_long_bytes")

    def __init__(self) -> None:
        self._next = 0
        self._objects: dict[int, tuple[Any, int]] = {}  # id -> (weakref or object, address)
        self._long: OrderedDict[int, tuple[bytes, int]] = OrderedDict()  # id -> (string, address)
        self._long_bytes = 0

    def _fresh(self) -> int:
        self._next += 1
        return _OBJECT_BASE + 0x40 * self._next

    def of(self, v: Any) -> int:
        """The address of a string or collectable value (never called for nil/booleans/numbers)."""
        if type(v) is bytes:
            if len(v) <= SHORT_STRING:
                h = int.from_bytes(hashlib.blake2b(v, digest_size=5).digest(), "little")
                return _STRING_BASE + 8 * h
            return self._long_string(v)
        key = id(v)
        entry = self._objects.get(key)
        if entry is not None:
            ref, addr = entry
            if (ref() if type(ref) is weakref.ref else ref) is v:
                return addr
        addr = self._fresh()
        try:
            ref = weakref.ref(v, lambda _r, key=key, objects=self._objects: _forget(objects, key, _r))
        except TypeError:  # not weakly referenceable (none of luavm's own value types)
            ref = v
        self._objects[key] = (ref, addr)
        return addr

    def _long_string(self, s: bytes) -> int:
        key = id(s)
        long = self._long
        entry = long.get(key)
        if entry is not None:  # held here, so that id is still this string's
            long.move_to_end(key)
            return entry[1]
        addr = self._fresh()
        if len(s) <= LONG_STRING_BYTES:
            long[key] = (s, addr)
            self._long_bytes += len(s)
            while len(long) > LONG_STRINGS_KEPT or self._long_bytes > LONG_STRING_BYTES:
                _, (old, _) = long.popitem(last=False)
                self._long_bytes -= len(old)
        return addr


def _forget(objects: dict, key: int, ref: weakref.ref) -> None:
    entry = objects.get(key)
    if entry is not None and entry[0] is ref:
        del objects[key]
