"""Compiled chunks: what a compile makes (``CompiledChunk``, and the ``Origin`` string.dump
needs), the process-wide compile cache and each runtime's registry of loaded code.

Compiled code is real memory (code objects, line tables, the closure factories that ``exec``
defines in the runtime's namespace), so it is bounded and charged like any other allocation:

* ``CompileCache`` keeps recently compiled chunks for reuse across runtimes, bounded by count
  and by bytes of source, so nothing a script compiles stays in the process for good.
* ``LoadedChunks`` (one per runtime) records what each chunk put in the namespace and what it
  is charged (meter.py: ``CHUNK_OVERHEAD`` + ``CODE_BYTES_PER_TOKEN`` per token). A memory
  measurement (heap.py) counts a chunk while a Lua function of it is reachable, and then lets
  the registry drop the chunks no function object uses any more: their factories leave the
  namespace and their ``callstack.CHUNKS`` entry (a weak mapping) goes with the last reference.

Whether a chunk's functions still exist is read from CPython's reference counts of its code
objects, which is exact; it only decides when real memory is given back, never a figure the
script can observe, so the accounted memory stays deterministic.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from types import CodeType
from typing import TYPE_CHECKING, Any, Callable

from luavm.meter import CHUNK_OVERHEAD, CODE_BYTES_PER_TOKEN

if TYPE_CHECKING:
    from luavm.callstack import ChunkInfo

# How many compiled chunks, and how many bytes of their Lua source, the process keeps for reuse.
CACHE_ENTRIES = 512
CACHE_BYTES = 16 * 2**20
CACHE_MAX_SOURCE = 256 * 1024  # bigger chunks are compiled each time they are loaded


@dataclass(frozen=True)
class CompiledChunk:
    """A chunk compiled to a Python code object, ready to be instantiated in a namespace."""

    chunkname: str
    source: str  # the generated Python text (luavm --dump-code shows it)
    code: object  # code object of the module text
    filename: str
    main_factory: str  # name of the main function's factory in the namespace
    env_cell: bool  # the chunk assigns _ENV: the factory takes a one-element list
    cid: int = 0
    # how to compile the generator twins when a coroutine first needs one (genops.py):
    # ``(lua source, parse options)``, and the twins' compiled module once made
    recipe: tuple | None = field(default=None, compare=False)
    twins: dict = field(default_factory=dict, compare=False)
    info: object = field(default=None, compare=False)  # its callstack.ChunkInfo: the weak CHUNKS entry lives while this does


@dataclass(frozen=True)
class Compiled:
    """A compiled chunk with what must outlive the compile: its line table and token count."""

    cc: CompiledChunk  # holds its ChunkInfo, so the weak callstack.CHUNKS entry lives with it
    tokens: int  # tokens of the source: the basis of its charges


class CompileCache:
    """Least recently used chunks, bounded by entries and by total source bytes."""

    def __init__(self, entries: int = CACHE_ENTRIES, nbytes: int = CACHE_BYTES):
        self.entries = entries
        self.nbytes = nbytes
        self.size = 0
        self._items: OrderedDict[tuple, Compiled] = OrderedDict()

    def get(self, key: tuple) -> Compiled | None:
        c = self._items.get(key)
        if c is not None:
            self._items.move_to_end(key)
        return c

    def put(self, key: tuple, c: Compiled) -> None:
        n = len(key[0])
        if n > CACHE_MAX_SOURCE or key in self._items:
            return
        self._items[key] = c
        self.size += n
        while len(self._items) > self.entries or self.size > self.nbytes:
            old, _ = self._items.popitem(last=False)
            self.size -= len(old[0])

    def clear(self) -> None:
        self._items.clear()
        self.size = 0

    def __len__(self) -> int:
        return len(self._items)


COMPILE_CACHE = CompileCache()


@dataclass(frozen=True)
class Origin:
    """Where the functions of one compiled Python file come from: enough to dump any of them."""

    source: bytes
    chunkname: str  # the name given to load (before chunkid), e.g. '@x.lua' or '=stdin'
    is_file: bool
    index_offset: int = 0  # a chunk rebuilt from a dump numbers its functions from its root
    stripped: bool = False


def chunk_size(tokens: int) -> int:
    """Bytes a loaded chunk is charged: its code objects, line table and factories."""
    return CHUNK_OVERHEAD + CODE_BYTES_PER_TOKEN * tokens


@dataclass
class Loaded:
    info: ChunkInfo | None  # held so the chunk's callstack.CHUNKS entry stays
    factories: list[str]  # names exec defined in the namespace (and those of the twins' module)
    lua_codes: list[CodeType]  # code objects of the chunk's Lua functions
    size: int


class LoadedChunks:
    """The chunks instantiated in one runtime's namespace."""

    def __init__(self, ns: dict, on_drop: Callable[[str], Any] | None = None):
        self.ns = ns
        self.on_drop = on_drop  # told the file name of each chunk dropped
        self.by_file: dict[str, Loaded] = {}

    def add(self, c: Compiled, size: int) -> None:
        """Record a chunk just exec'd into the namespace, charged ``size`` bytes."""
        code = c.cc.code
        factories = [k for k in code.co_consts if type(k) is CodeType and k.co_name.startswith("_mk")]
        lua = [k for f in factories for k in f.co_consts if type(k) is CodeType]
        regions = [k.co_name for k in code.co_consts if type(k) is CodeType and k.co_name.startswith("_o")]
        names = [f.co_name for f in factories] + regions
        # the generator twins' module (compiled later, if ever) defines each name + "_g" / "g"
        names += [n + "_g" for n in names if n.startswith("_mk")] + [n + "g" for n in regions]
        names.append(f"_chunk{c.cc.cid}")
        self.by_file[c.cc.filename] = Loaded(c.cc.info, names, lua, size)

    def size_of(self, filename: str) -> int:
        ld = self.by_file.get(filename)
        return ld.size if ld is not None else 0

    def reclaim(self, live: set[str]) -> None:
        """Drop the chunks outside ``live`` (the files of reachable Lua functions) that no
        function object uses any more, so their code can be freed."""
        ns = self.ns
        for filename in [f for f in self.by_file if f not in live]:
            ld = self.by_file[filename]
            # each Lua code object is held by its factory's constants and by our list: more
            # references mean a function (or a running frame) of the chunk still exists
            if any(sys.getrefcount(k) > _BASE_REFS for k in ld.lua_codes):
                continue
            for name in ld.factories:
                ns.pop(name, None)
            del self.by_file[filename]
            if self.on_drop is not None:
                self.on_drop(filename)

    def __len__(self) -> int:
        return len(self.by_file)


def _calibrate() -> int:
    """The reference count of an unused Lua code object, as ``reclaim`` sees it."""
    ns: dict[str, Any] = {}
    exec(compile("def _mk0f0():\n    def lua0(): pass\n    return lua0\n", "<calibrate>", "exec"), ns)
    codes = [k for k in ns["_mk0f0"].__code__.co_consts if type(k) is CodeType]
    return max(sys.getrefcount(k) for k in codes)


_BASE_REFS = _calibrate()
