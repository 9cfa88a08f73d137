"""Compiled chunks kept on disk between processes, as CPython keeps ``.pyc`` files.

Loading a file (a script given to ``luavm``, a prtip plugin's main.lua) parses it with lark and
generates Python code: tens of milliseconds per process before the first instruction runs, and
the import of lark itself. A chunk compiled once is written here, keyed by a digest of what
determines its code (source, names, options) and of this luavm build, and later processes load
the code object and its debug tables with ``marshal`` instead.

Nothing a script observes depends on it: the code is the same code, so instruction counts and
accounted memory are those of a fresh compile. Only the host's own loads use it, never Lua's
``load`` (a script could otherwise fill the disk with one file per string it loads).

Where: ``$LUAVM_CACHE_DIR``, else ``$XDG_CACHE_HOME/luavm``, else ``~/.cache/luavm``, as the
grammar's tables (compile/tablecache.py); ``LUAVM_CACHE_DIR=off`` turns both off. Loading a
file runs its code, so the folder is made private (0700) and a file is used only when it and
its folder are this user's and nobody else may write to them; a damaged or stale file is
ignored and rewritten. At most ``MAX_ENTRIES`` files are kept: the oldest go first.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import threading
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from luavm.callstack import CHUNKS, ChunkInfo, FuncProto, LocalInfo

if TYPE_CHECKING:
    from luavm.chunks import Compiled

FORMAT = 1  # of the payload below; part of the digest
MAX_ENTRIES = 1024
SUFFIX = ".luac"

_build: bytes | None = None


OFF = ("", "0", "off", "no", "false")


def cache_folder() -> Path | None:
    """The folder of luavm's caches (this one and the grammar's tables), or None when off."""
    given = os.environ.get("LUAVM_CACHE_DIR")
    if given is not None:
        return None if given.strip().lower() in OFF else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "luavm"


def ours(st: os.stat_result) -> bool:
    """A file or folder we may trust with code: this user's, and nobody else may write to it."""
    return (not stat.S_ISLNK(st.st_mode) and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def trusted(path: Path, missing_ok: bool = False) -> bool:
    """``ours`` for a path (no symbolic link either); a missing one is ``missing_ok``."""
    try:
        return ours(os.lstat(path))
    except FileNotFoundError:
        return missing_ok
    except OSError:
        return False


def build_id() -> bytes:
    """This luavm build and Python: the size and time of every file of the package (the way
    CPython checks a .pyc against its source) and the bytecode magic number."""
    global _build
    if _build is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256(importlib.util.MAGIC_NUMBER + bytes([FORMAT]))
        for dirpath, dirnames, filenames in sorted(os.walk(root)):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".lark")):
                    st = os.stat(os.path.join(dirpath, name))
                    h.update(f"{os.path.relpath(os.path.join(dirpath, name), root)}\0{st.st_size}\0"
                             f"{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        _build = h.digest()
    return _build


def digest(key: tuple) -> bytes:
    """The digest of a compile: its key (source, chunk name, options) under this build."""
    return hashlib.sha256(build_id() + marshal.dumps(key)).digest()


def chunk_id(d: bytes) -> int:
    """The chunk id (in the generated names) of the chunk with digest ``d``: the same in every
    process, so the cached code and its file name agree; far above the counter's ids."""
    return int.from_bytes(d[:16], "big") | 1 << 128


def _path(d: bytes) -> Path | None:
    folder = cache_folder() if hasattr(os, "geteuid") else None  # no owners to check: off
    return None if folder is None else folder / (d.hex()[:40] + SUFFIX)


def load(d: bytes, recipe: tuple) -> Compiled | None:
    """The cached compile with digest ``d``, or None (missing, foreign, damaged or stale)."""
    path = _path(d)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not (ours(os.fstat(fd)) and trusted(path.parent)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        return _decode(data, d, recipe)
    except Exception:  # damaged or from another payload layout: compiled again, and rewritten
        return None


def save(d: bytes, compiled: Compiled) -> None:
    """Write a compile for later processes; failures (read-only home, full disk) are silent,
    as they are for CPython's .pyc files."""
    path = _path(d)
    if path is None:
        return
    try:
        data = _encode(d, compiled)
    except ValueError:  # something marshal cannot write: keep it in this process only
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")  # one writer per name
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted(path.parent):
            return  # a folder others may write to is not trusted with code
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """Keep at most MAX_ENTRIES files: remove the oldest half of them beyond that."""
    with os.scandir(folder) as it:
        entries = [e for e in it if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for e in entries[:len(entries) - MAX_ENTRIES // 2]:
        try:
            os.unlink(e.path)
        except OSError:
            pass


def _plain(obj: object) -> dict:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}  # type: ignore[arg-type]


def _encode(d: bytes, compiled: Compiled) -> bytes:
    cc, info = compiled.cc, compiled.cc.info
    assert isinstance(info, ChunkInfo)
    values = _plain(info)
    values["protos"] = {name: {**_plain(p), "locals": tuple(_plain(v) for v in p.locals)}
                        for name, p in info.protos.items()}
    return marshal.dumps((FORMAT, d, sys.version, compiled.tokens, cc.chunkname, cc.source, cc.code,
                          cc.filename, cc.main_factory, cc.env_cell, cc.cid, values))


def _decode(data: bytes, d: bytes, recipe: tuple) -> Compiled:
    from luavm.chunks import Compiled, CompiledChunk

    (fmt, stored, version, tokens, chunkname, source, code, filename, main_factory, env_cell, cid,
     values) = marshal.loads(data)
    if fmt != FORMAT or stored != d or version != sys.version:
        raise ValueError("stale cache entry")
    values["protos"] = {name: FuncProto(**{**p, "locals": tuple(LocalInfo(**v) for v in p["locals"])})
                        for name, p in values["protos"].items()}
    info = CHUNKS[filename] = ChunkInfo(**values)
    return Compiled(CompiledChunk(chunkname, source, code, filename, main_factory, env_cell, cid,
                                  recipe=recipe, info=info), tokens)
