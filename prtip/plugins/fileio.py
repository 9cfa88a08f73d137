"""The confined `io` table of plugins with the filesystem capability.

Not Lua's io library: only ``io.open``, ``io.lines``, ``io.close``, ``io.type`` and the file
methods ``read``, ``write``, ``lines``, ``seek``, ``flush``, ``close``, with Lua's semantics and
messages. Every path must resolve (symbolic links followed) inside the plugin's data folder
($PRTIP_HOME/plugin-data/NAME/, where relative paths point) or be the export path the user gave
with --plugin-output. The check is made on the resolved path before opening and again on the
descriptor actually opened (/proc/self/fd), so a link swapped in between does not escape.
Reading charges the plugin's memory and instructions, writing its instructions (1 per 32
bytes), so a hook call cannot read or write without bound.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Any, Callable

from luavm import (
    LuaError, LuaRuntime, LuaTable, arg_error, check_any, check_int, check_option, check_str, lua_function, opt_int,
    opt_str, type_error,
)

MAX_OPEN_FILES = 16
CHUNK = 65536
_MODE = re.compile(rb"^[rwa]\+?b*$")


class LuaFile(LuaTable):
    """A file handle as Lua sees it: an empty table whose metatable holds the methods.

    Lua's io gives userdata; luavm.lua_function (the public way to expose host
    functions) only passes tables through, so handles are tables with a protected metatable
    (``getmetatable(f)`` is false) and no fields; ``io.type`` recognises them. The Python file
    object lives in a slot, which no Lua operation can reach.
    """

    __slots__ = ("fh", "name")

    def __init__(self, meta: LuaTable, fh: IO[bytes], name: str) -> None:
        super().__init__()
        self.meta = meta
        self.fh, self.name = fh, name


class ConfinedFiles:
    """One plugin's view of the filesystem and its open files."""

    def __init__(self, rt: LuaRuntime, data_dir: Path, export_path: Callable[[], str | None],
                 allowed: Callable[[], None]) -> None:
        self.rt = rt
        self.data_dir = data_dir
        self.export_path = export_path  # the --plugin-output path, read at each open
        self.allowed = allowed  # raises "Plugin lacks 'filesystem' capability"
        self.open_files: set[Any] = set()
        self.meta = LuaTable()
        self.methods = LuaTable()

    # ------------------------------------------------------------------ confinement

    def _roots(self) -> tuple[str, str | None]:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        export = self.export_path()
        return os.path.realpath(self.data_dir), (os.path.realpath(export) if export else None)

    def _permitted(self, real: str, data_root: str, export: str | None) -> bool:
        return real == export or real == data_root or real.startswith(data_root + os.sep)

    def resolve(self, name: bytes) -> str:
        """The real path for a plugin-given name, or a Lua error if it is outside the confinement."""
        if b"\0" in name:
            raise LuaError("bad argument #1 to 'open' (string contains zeros)", level=1)
        text = os.fsdecode(name)
        data_root, export = self._roots()
        path = text if os.path.isabs(text) else os.path.join(data_root, text)
        real = os.path.realpath(path)
        if not self._permitted(real, data_root, export):
            raise LuaError(f"{text}: permission denied (plugins may open only files in their data folder "
                           f"{self.data_dir} and the --plugin-output path)", level=1)
        return real

    def open(self, name: bytes, mode: bytes) -> LuaFile | tuple[None, bytes, int]:
        real = self.resolve(name)
        if len(self.open_files) >= MAX_OPEN_FILES:
            raise LuaError(f"too many open files (at most {MAX_OPEN_FILES} per plugin)", level=1)
        pymode = mode.decode().replace("b", "") + "b"
        try:
            fh = open(real, pymode)  # noqa: SIM115 - closed by close() or at unload
        except OSError as exc:
            text = os.fsdecode(name)
            return (None, f"{text}: {exc.strerror}".encode(), exc.errno or 0)
        # the descriptor we got must still be inside the confinement (links swapped meanwhile)
        try:
            opened = os.readlink(f"/proc/self/fd/{fh.fileno()}")
        except OSError:
            opened = real
        data_root, export = self._roots()
        if not self._permitted(opened, data_root, export):
            fh.close()
            raise LuaError(f"{os.fsdecode(name)}: permission denied (resolved outside the plugin's data folder)",
                           level=1)
        f = LuaFile(self.meta, fh, os.fsdecode(name))
        self.open_files.add(f)
        return f

    def close_all(self) -> None:
        for f in list(self.open_files):
            try:
                f.fh.close()
            except OSError:
                pass
        self.open_files.clear()

    # ------------------------------------------------------------------ reading

    def _charge_read(self, n: int) -> None:
        self.rt.alloc(24 + n)  # a Lua string of n bytes (docs/METERING.md)
        self.rt.charge(1 + (n >> 5))

    def _read_one(self, f: LuaFile, formats: tuple, n: int) -> Any:
        """Read what ``formats[n - 1]`` asks for (``n`` is its argument position, for messages)."""
        fh = f.fh
        fmt = formats[n - 1]
        if type(fmt) is int or type(fmt) is float:
            count = check_int(formats, n, "read")
            if count <= 0:
                peek = fh.peek(1)[:1] if hasattr(fh, "peek") else b""
                return b"" if peek else None
            self._charge_read(count)
            data = fh.read(count)
            return data if data else None
        if type(fmt) is not bytes:
            arg_error(n, "read", "invalid format")
        spec = fmt[1:] if fmt.startswith(b"*") else fmt
        kind = spec[:1]
        if kind == b"a":
            parts = []
            while True:
                self.rt.charge(1)
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                self._charge_read(len(chunk))
                parts.append(chunk)
            return b"".join(parts)
        if kind in (b"l", b"L"):
            line = b""
            while True:
                piece = fh.readline(CHUNK)
                self._charge_read(len(piece))
                line += piece
                if not piece or piece.endswith(b"\n"):
                    break
            if not line:
                return None
            return line if kind == b"L" or not line.endswith(b"\n") else line[:-1]
        if kind == b"n":
            self.rt.charge(8)
            start = fh.tell()
            text = fh.read(200)
            m = re.match(rb"\s*[-+]?(0[xX][0-9a-fA-F.]+([pP][-+]?\d+)?|\d*\.?\d*([eE][-+]?\d+)?)", text)
            if not m or not m.group(1) or m.group(1) in (b".",):
                fh.seek(start + (m.end() if m else 0))
                return None
            fh.seek(start + m.end())
            token = m.group(0).strip()
            try:
                if re.fullmatch(rb"[-+]?\d+", token):
                    return int(token)
                if token.lower().lstrip(b"+-").startswith(b"0x"):
                    v = float.fromhex(token.decode())
                    return int(v) if b"." not in token and b"p" not in token.lower() else v
                return float(token)
            except ValueError:
                return None
        arg_error(n, "read", "invalid format")

    # ------------------------------------------------------------------ the Lua tables

    def _check_file(self, args: tuple, fname: str) -> LuaFile:
        f = args[0] if args else None
        if not isinstance(f, LuaFile):
            type_error(args, 1, fname, "FILE*")
        if f.fh.closed:
            raise LuaError("attempt to use a closed file", level=1)
        return f

    def install(self, G: LuaTable) -> None:
        """Put the confined ``io`` table into the plugin's globals."""
        rt = self.rt
        methods = self.methods

        def f_read(*args: Any) -> tuple:
            self.allowed()
            f = self._check_file(args, "read")
            formats = args if len(args) > 1 else (f, b"l")  # positions count self, as luaL_check* do
            out = []
            try:
                for n in range(2, len(formats) + 1):
                    v = self._read_one(f, formats, n)
                    out.append(v)
                    if v is None:
                        break
            except (OSError, ValueError) as exc:  # e.g. reading a file opened with "w"
                return (None, f"{f.name}: {getattr(exc, 'strerror', None) or 'Bad file descriptor'}".encode(), 9)
            return tuple(out)

        def f_write(*args: Any) -> tuple:
            self.allowed()
            f = self._check_file(args, "write")
            for n in range(2, len(args) + 1):
                data = check_str(args, n, "write")
                rt.charge(1 + (len(data) >> 5))
                try:
                    f.fh.write(data)
                except OSError as exc:
                    return (None, f"{f.name}: {exc.strerror}".encode(), exc.errno or 0)
                except ValueError:  # opened for reading only
                    return (None, f"{f.name}: Bad file descriptor".encode(), 9)
            return (f,)

        def f_lines(*args: Any) -> tuple:
            self.allowed()
            f = self._check_file(args, "lines")
            fmts = args[1:] or (b"l",)
            return (self._lines_iter(f, fmts, close_at_end=False),)

        def f_close(*args: Any) -> tuple:
            f = self._check_file(args, "close")
            f.fh.close()
            self.open_files.discard(f)
            return (True,)

        def f_flush(*args: Any) -> tuple:
            f = self._check_file(args, "flush")
            f.fh.flush()
            return (f,)

        def f_seek(*args: Any) -> tuple:
            self.allowed()
            f = self._check_file(args, "seek")
            whence = check_option(args, 2, "seek", ("set", "cur", "end"), "cur")
            offset = opt_int(args, 3, "seek", 0)
            try:
                pos = f.fh.seek(offset, {"set": 0, "cur": 1, "end": 2}[whence])
            except (OSError, ValueError) as exc:
                return (None, f"{f.name}: {getattr(exc, 'strerror', None) or exc}".encode(), 22)
            return (pos,)

        def f_tostring(*args: Any) -> tuple:
            f = args[0] if args else None
            if isinstance(f, LuaFile) and f.fh.closed:
                return (b"file (closed)",)
            return (f"file (0x{id(f):08x})".encode(),)

        def f_gc_close(*args: Any) -> tuple:  # __close: `local f <close> = io.open(...)`
            f = args[0] if args else None
            if isinstance(f, LuaFile) and not f.fh.closed:
                f.fh.close()
                self.open_files.discard(f)
            return ()

        for name, fn in (("read", f_read), ("write", f_write), ("lines", f_lines), ("close", f_close),
                         ("flush", f_flush), ("seek", f_seek)):
            methods[name.encode()] = lua_function(fn, name)
        self.meta[b"__index"] = methods
        self.meta[b"__name"] = b"FILE*"
        self.meta[b"__tostring"] = lua_function(f_tostring, "tostring")
        self.meta[b"__close"] = lua_function(f_gc_close, "close")
        self.meta[b"__metatable"] = False  # getmetatable(f) must not hand the methods out for editing

        def io_open(*args: Any) -> tuple:
            self.allowed()
            name = check_str(args, 1, "open")
            mode = opt_str(args, 2, "open", b"r")
            if not _MODE.match(mode):
                arg_error(2, "open", "invalid mode")
            r = self.open(name, mode)
            return r if isinstance(r, tuple) else (r,)

        def io_lines(*args: Any) -> tuple:
            self.allowed()
            name = check_str(args, 1, "lines")
            r = self.open(name, b"r")
            if isinstance(r, tuple):
                raise LuaError(r[1], level=1)
            return (self._lines_iter(r, args[1:] or (b"l",), close_at_end=True), None, None, r)

        def io_close(*args: Any) -> tuple:
            self.allowed()
            if not args:
                type_error(args, 1, "close", "FILE*")
            return f_close(*args)

        def io_type(*args: Any) -> tuple:
            f = check_any(args, 1, "type")
            if isinstance(f, LuaFile):
                return (b"closed file" if f.fh.closed else b"file",)
            return (None,)

        io = LuaTable()
        for name, fn in (("open", io_open), ("lines", io_lines), ("close", io_close), ("type", io_type)):
            io[name.encode()] = lua_function(fn, name)
        G[b"io"] = io

    def _lines_iter(self, f: LuaFile, fmts: tuple, close_at_end: bool) -> Callable[..., tuple]:
        def it(*_: Any) -> tuple:
            if f.fh.closed:
                raise LuaError("file is already closed", level=1)
            out = []
            for n in range(1, len(fmts) + 1):
                v = self._read_one(f, fmts, n)
                out.append(v)
                if v is None:
                    break
            if out[0] is None and close_at_end:
                f.fh.close()
                self.open_files.discard(f)
            return tuple(out)

        return lua_function(it, "for iterator")
