"""Binary chunks: ``string.dump`` of a Lua function and the loading of its result.

luavm has no bytecode, so a dump carries what is needed to rebuild the function: the source
text of the chunk it was compiled from, the chunk name, and which function of the chunk it is.
Loading recompiles that function with fresh upvalues, as PUC's ``load`` of a binary chunk does:
the first upvalue (in PUC's order: first reference in the source) is set to the environment,
the others are nil. A function that has ``_ENV`` as a later upvalue therefore sees nil globals
until ``debug.setupvalue`` fixes it, exactly as in PUC.

Layout: PUC 5.4's header (signature, version 0x54, format 0, LUAC_DATA, sizes, LUAC_INT,
LUAC_NUM), then ``luavm`` and a format byte, length-prefixed fields (chunk name, source, function
index, flags) and a CRC-32 of everything before it. Any shortened prefix fails with PUC's
"truncated chunk", any other change with another "bad binary format" reason.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING, Any

from luavm.chunks import Origin
from luavm.compile import compile_chunk, nodes as N
from luavm.compile.resolver import FuncInfo, Resolver
from luavm.errors import LuaError
from luavm.table import LuaTable

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

HEADER = (b"\x1bLua" + bytes([0x54, 0]) + b"\x19\x93\r\n\x1a\n" + bytes([4, 8, 8])
          + struct.pack("<q", 0x5678) + struct.pack("<d", 370.5))
TAG = b"luavm\x01"
_STRIP, _IS_FILE = 1, 2
_CHECKS = [  # (header bytes, lundump.c's reason when they differ)
    (slice(0, 4), "not a binary chunk"), (slice(4, 5), "version mismatch"),
    (slice(5, 6), "format mismatch"), (slice(6, 12), "corrupted chunk"),
    (slice(12, 13), "Instruction size mismatch"), (slice(13, 14), "lua_Integer size mismatch"),
    (slice(14, 15), "lua_Number size mismatch"), (slice(15, 23), "integer format mismatch"),
    (slice(23, 31), "float format mismatch"), (slice(31, 37), "corrupted chunk"),
]


# ---------------------------------------------------------------- dumping


def dump(rt: LuaRuntime, f: Any, strip: bool) -> bytes:
    """``string.dump(f, strip)``; raises Lua's error for builtins."""
    code = getattr(f, "__code__", None)
    compiled = code is not None and getattr(f, "__globals__", None) is getattr(rt, "ns", ())
    origin = rt.chunk_origins.get(code.co_filename) if compiled else None
    index = _function_index(code.co_name) if origin is not None else None
    if origin is None or index is None:
        raise LuaError("unable to dump given function", level=1)
    if index:
        index += origin.index_offset
    flags = (_STRIP if strip or origin.stripped else 0) | (_IS_FILE if origin.is_file else 0)
    body = b"".join(_field(x) for x in (origin.chunkname.encode("utf-8", "surrogateescape"),
                                        origin.source, b"%d" % index, bytes([flags])))
    out = HEADER + TAG + body
    return out + struct.pack("<I", zlib.crc32(out))


def _field(b: bytes) -> bytes:
    return struct.pack("<I", len(b)) + b


def _function_index(pyname: str) -> int | None:
    """The compiler names function k of a chunk ``lua<k>`` (0 is the main chunk)."""
    k = pyname[3:]
    return int(k) if pyname[:3] == "lua" and k.isdigit() else None


# ---------------------------------------------------------------- loading


class BadChunk(Exception):
    """A binary chunk that cannot be loaded; ``reason`` is lundump.c's word for it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def binary_name(chunkname: bytes) -> str:
    """lundump.c's ``S->name`` in messages: '=x'/'@x' -> x, a chunk itself -> 'binary string'."""
    if chunkname[:1] in (b"=", b"@"):
        return chunkname[1:].decode("latin-1")
    if chunkname[:1] == b"\x1b":
        return "binary string"
    return chunkname.decode("latin-1")


def load_binary(rt: LuaRuntime, data: bytes, chunkname: bytes, env: Any) -> tuple:
    """``load``'s answer for a binary chunk: ``(f,)`` or ``(nil, "name: bad binary format (why)")``.
    The one entry point for every loader (load, loadfile, dofile)."""
    try:
        return (undump(rt, data, env),)
    except BadChunk as e:
        return (None, f"{binary_name(chunkname)}: bad binary format ({e.reason})".encode("latin-1"))


def undump(rt: LuaRuntime, data: bytes, env: Any) -> Any:
    """The function a dump describes, with fresh upvalues; raises BadChunk."""
    for where, reason in _CHECKS:
        want = (HEADER + TAG)[where]
        got = data[where]
        if len(got) < len(want):
            raise BadChunk("truncated chunk")
        if got != want:
            raise BadChunk(reason)
    pos = len(HEADER) + len(TAG)
    fields = []
    for _ in range(4):
        if len(data) < pos + 4:
            raise BadChunk("truncated chunk")
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
        if len(data) < pos + n:
            raise BadChunk("truncated chunk")
        fields.append(data[pos:pos + n])
        pos += n
    if len(data) < pos + 4:
        raise BadChunk("truncated chunk")
    if struct.unpack_from("<I", data, pos)[0] != zlib.crc32(data[:pos]) or len(data) != pos + 4:
        raise BadChunk("corrupted chunk")
    name_b, source, index_b, flags_b = fields
    if not index_b.isdigit() or len(flags_b) != 1:
        raise BadChunk("corrupted chunk")
    chunkname = name_b.decode("utf-8", "surrogateescape")
    flags = flags_b[0]
    origin = Origin(source, chunkname, bool(flags & _IS_FILE), stripped=bool(flags & _STRIP))
    from luavm.lib.baselib import MAX_LOAD_SIZE

    if len(source) > MAX_LOAD_SIZE:
        raise BadChunk("chunk too large")
    rt.charge(1 + (len(source) >> 4))  # what a text load of that source costs
    rt.alloc(len(source) * 4)
    return _rebuild(rt, origin, int(index_b), env)


def _rebuild(rt: LuaRuntime, origin: Origin, index: int, env: Any) -> Any:
    from luavm.compile import parse
    from luavm.runtime import chunkid

    shown = "?" if origin.stripped else chunkid(origin.chunkname)
    try:
        chunk = rt._on_lua_stack(lambda: parse(origin.source, shown, shebang=origin.is_file))
    except LuaError as e:
        raise BadChunk("corrupted chunk") from e
    if index == 0:  # the main chunk: its only upvalue is _ENV
        cc = rt._on_lua_stack(lambda: compile_chunk(chunk, type(env) is LuaTable, strip=origin.stripped))
        _register(rt, cc.filename, origin, 0)
        return rt.instantiate(cc, env)
    order = _UpvalueOrder()
    order.resolve_chunk(chunk)
    info = next((i for i in order.funcs.values() if i.index == index), None)
    if info is None:
        raise BadChunk("corrupted chunk")
    wrapper = _wrapper(chunk, info, order)
    cc = rt._on_lua_stack(lambda: compile_chunk(wrapper, False, strip=origin.stripped))
    _register(rt, cc.filename, origin, index - 1)
    maker = rt.instantiate(cc, None)
    return rt.call(maker, env)[0]


def _register(rt: LuaRuntime, filename: str, origin: Origin, offset: int) -> None:
    rt.chunk_origins[filename] = Origin(origin.source, origin.chunkname, origin.is_file, offset, origin.stripped)
    if origin.stripped:  # no debug information: positions read '?:-1:'
        from luavm.callstack import CHUNKS

        info = CHUNKS.get(filename)
        if info is not None:
            info.lines = [-1] * len(info.lines)


class _UpvalueOrder(Resolver):
    """The resolver with PUC's implicit ``_ENV`` upvalue made explicit, so each function's
    ``upvals`` list is PUC's upvalue list in PUC's order (first reference in the source)."""

    def __init__(self) -> None:
        super().__init__()
        self.declared_by: dict[int, tuple[object, int]] = {}  # id(Var) -> (Local node, position)

    def resolve_chunk(self, chunk: N.Chunk) -> FuncInfo:
        main = FuncInfo(None, None, 0)
        self._func = main
        self._scopes = [{}]
        self._declare(chunk, ("_ENV",))
        self.block(chunk.body)
        return main

    def _declare(self, node: object, names: Any, attribs: tuple[str, ...] = ()) -> list:
        vs = super()._declare(node, names, attribs)
        for i, v in enumerate(vs):
            self.declared_by[id(v)] = (node, i)
        return vs


_CONSTANT_NODES = (N.Nil, N.TrueLit, N.FalseLit, N.Number, N.String)


def _compile_time_constant(order: _UpvalueOrder, var: Any) -> object | None:
    """The initializer of a ``<const>`` local that PUC folds away (it is then no upvalue)."""
    if var.attrib != "const":
        return None
    node, i = order.declared_by.get(id(var), (None, 0))
    if type(node) is not N.Local or i != len(node.names) - 1 or len(node.exprs) != len(node.names):
        return None
    e = node.exprs[i]
    if isinstance(e, _CONSTANT_NODES):
        return e
    if type(e) is N.UnOp and e.op == "-" and type(e.operand) is N.Number and e.operand.value != 0:
        return e
    return None


def _wrapper(chunk: N.Chunk, info: FuncInfo, order: _UpvalueOrder) -> N.Chunk:
    """``local <consts>; local u1, u2, ... = ...; return function ... end``: the function's
    upvalues become locals of a new main chunk, the first one receiving the environment."""
    fn = info.node
    line = fn.line
    body: list = []
    names = []
    for v in info.upvals:
        const = _compile_time_constant(order, v)
        if const is not None:
            body.append(N.Local(line, (v.name,), ("const",), (const,)))
        else:
            names.append(v.name)
    if names:
        body.append(N.Local(line, tuple(names), ("",) * len(names), (N.Vararg(line),)))
    body.append(N.Return(line, (fn,)))
    return N.Chunk(chunk.name, tuple(body), chunk.end_line)
