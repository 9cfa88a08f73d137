"""Userdata: host objects visible to Lua (file handles). Only their metatable is reachable."""

from __future__ import annotations

from typing import Any


class Userdata:
    """Base for host objects. Lua sees ``type(u) == "userdata"`` and can reach nothing but ``meta``.

    Indexing goes through ``meta.__index`` only; Python attributes are never exposed.
    """

    __slots__ = ("meta", "__weakref__")

    def __init__(self, meta: Any = None):
        self.meta = meta
