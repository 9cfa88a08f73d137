"""Loading a chunk from a file or from stdin (lauxlib's luaL_loadfilex), and load modes.

One place for what ``loadfile``, ``dofile``, ``require`` and the ``luavm`` command share:
the chunk name (``@name``, or ``=stdin``), a UTF-8 BOM and a first line starting with ``#``
skipped (a newline kept so line numbers do not move), the ``cannot open/read`` messages, and
the mode check (``attempt to load a binary chunk (mode is 't')``). A chunk is binary when its
first byte is ESC, as in PUC; the binary branch goes to ``load_binary``.
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO

from luavm.errors import LuaError, LuaSyntaxError

SIGNATURE = b"\x1bLua"


class FileLoadError(LuaError):
    """``LUA_ERRFILE``: the file could not be opened or read (message ``cannot open x: ...``)."""


def skip_comment(src: bytes) -> bytes:
    """skipBOM + skipcomment: drop a UTF-8 BOM, then a first line starting with '#' (its
    newline stays, so the next line is still line 2, except before a binary chunk)."""
    if src[:3] == b"\xef\xbb\xbf":
        src = src[3:]
    if src[:1] == b"#":
        nl = src.find(b"\n")
        if nl < 0:
            return b"\n"
        src = src[nl + 1:] if src[nl + 1:nl + 2] == SIGNATURE[:1] else src[nl:]
    return src


def read_source(path: bytes | None, stdin: BinaryIO) -> tuple[bytes, str]:
    """(the chunk's bytes with the comment line skipped, its chunk name); FileLoadError."""
    if path is None:
        try:
            return skip_comment(stdin.read()), "=stdin"
        except (OSError, ValueError) as e:
            raise FileLoadError(f"cannot read stdin: {getattr(e, 'strerror', None) or e}") from None
    shown = path.decode("latin-1")
    try:
        fh = open(os.fsdecode(path.split(b"\0", 1)[0]), "rb")  # a C string ends at NUL
    except IsADirectoryError as e:  # C's fopen opens a directory; the first read fails
        raise FileLoadError(f"cannot read {shown}: {e.strerror}") from None
    except OSError as e:
        raise FileLoadError(f"cannot open {shown}: {e.strerror}") from None
    try:
        with fh:
            data = fh.read()
    except OSError as e:  # a directory opens on Linux; reading it fails
        raise FileLoadError(f"cannot read {shown}: {e.strerror}") from None
    return skip_comment(data), "@" + shown


def check_mode(src: bytes, mode: bytes) -> bool:
    """ldo.c's checkmode: True for a binary chunk; a LuaSyntaxError when ``mode`` refuses it."""
    binary = src[:1] == SIGNATURE[:1]
    kind = b"binary" if binary else b"text"
    if kind[:1] not in mode:
        raise LuaSyntaxError(b"attempt to load a " + kind + b" chunk (mode is '" + mode + b"')")
    return binary


def load_binary(rt: Any, src: bytes, chunkname: str, env: Any) -> Any:
    """A binary chunk (string.dump's format, luavm/dump.py) back into a function; a bad one is
    a LuaSyntaxError with lundump.c's message."""
    from luavm.dump import load_binary as undump

    name = chunkname.encode("latin-1") if isinstance(chunkname, str) else chunkname
    result = undump(rt, src, name, env)
    if result[0] is None:
        raise LuaSyntaxError(result[1])
    return result[0]


def load_chunk(rt: Any, src: bytes, chunkname: str, mode: bytes = b"bt", env: Any = ...,
               persistent: bool = False) -> Any:
    """lua_load for a chunk already read: mode check, then text or binary. LuaSyntaxError.
    ``persistent``: the host's own file (the script luavm runs), cached on disk (diskcache.py)."""
    if env is ...:
        env = rt.globals
    if check_mode(src, mode):
        return load_binary(rt, src, chunkname, env)
    return rt.load(src, chunkname, env, is_file=False, persistent=persistent)


def load_file(rt: Any, path: bytes | None, mode: bytes = b"bt", env: Any = ..., persistent: bool = False) -> Any:
    """luaL_loadfilex: the function of file ``path`` (None: stdin); FileLoadError/LuaSyntaxError."""
    src, chunkname = read_source(path, rt.stdin)
    return load_chunk(rt, src, chunkname, mode, env, persistent)
