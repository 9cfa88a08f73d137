"""The Lua 5.4 ``io`` library (liolib.c), standalone mode only: files as ``FILE*`` userdata.

A ``LuaFile`` wraps a binary Python stream; everything is bytes, never decoded. Reading needs
one byte of look-ahead (``read("n")`` and ``read(0)`` peek like C's ungetc), so a stream
without ``peek`` is wrapped in a ``BufferedReader``. Error results follow ``luaL_fileresult``
(nil, message, errno); a closed handle raises "attempt to use a closed file". Argument numbers
in messages are the stack positions C uses (``f:read("x")`` reports #2, as ``f.read(f, "x")``
does; PUC lowers it by one for method calls).

Metering: 1 instruction per 16 bytes read or written; strings read are announced to
``rt.alloc`` chunk by chunk before they are joined.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import weakref
from typing import Any, BinaryIO

from luavm.callstack import register_builtin
from luavm.errors import LuaError
from luavm.lib.args import arg_error, check_int, check_option, check_str, opt_int, opt_str, type_error
from luavm.lib.oslib import execresult, fileresult
from luavm.meter import STRING_OVERHEAD
from luavm.luanumbers import str2number
from luavm.table import LuaTable
from luavm.userdata import Userdata

BYTES_PER_INSTRUCTION = 16
MAXARGLINE = 250
L_MAXLENNUM = 200
_CHUNK = 1 << 16
_SPACE = frozenset(b" \t\n\v\f\r")
_DIGITS = frozenset(b"0123456789")
_XDIGITS = frozenset(b"0123456789abcdefABCDEF")
_EBADF = (None, b"Bad file descriptor", 9)


class LuaFile(Userdata):
    """A Lua file handle. ``stream`` is None once closed; standard files refuse to close."""

    __slots__ = ("stream", "std", "vbuf", "proc")

    def __init__(self, meta: LuaTable, stream: BinaryIO, std: bool = False,
                 proc: subprocess.Popen | None = None):
        super().__init__(meta)
        self.stream: BinaryIO | None = stream
        self.std = std
        self.vbuf = "full"
        self.proc = proc  # io.popen: the child, waited for by close

    def reader(self) -> Any:
        """The stream, made peekable on first read."""
        s = self.stream
        if not hasattr(s, "peek"):
            try:
                s = io.BufferedReader(s)  # type: ignore[arg-type]
            except (AttributeError, TypeError, ValueError):
                raise io.UnsupportedOperation("not readable") from None
            self.stream = s
        return s


class _Flushing:
    """The runtime's stdout as ``print`` sees it after ``io.stdout:setvbuf("no"|"line")``."""

    def __init__(self, stream: BinaryIO, line: bool):
        self.stream, self.line = stream, line

    def write(self, data: bytes) -> int:
        n = self.stream.write(data)
        if not self.line or b"\n" in data:
            self.stream.flush()
        return n

    def flush(self) -> None:
        self.stream.flush()


def _num2bytes(v: int | float) -> bytes:
    """LUA_INTEGER_FMT / LUA_NUMBER_FMT ("%.14g", no ".0" added) as fprintf prints them."""
    if type(v) is int:
        return b"%d" % v
    if v != v:
        return b"-nan" if _signbit(v) else b"nan"
    if v in (float("inf"), float("-inf")):
        return b"inf" if v > 0 else b"-inf"
    return b"%.14g" % v


def _signbit(v: float) -> bool:
    import math

    return math.copysign(1.0, v) < 0


def _py_mode(mode: bytes) -> str | None:
    """l_checkmode: [rwa] then an optional '+' then only 'b's; the Python mode, or None."""
    if not mode or mode[0] not in b"rwa":
        return None
    rest = mode[1:]
    plus = rest[:1] == b"+"
    if plus:
        rest = rest[1:]
    if rest.strip(b"b"):
        return None
    return chr(mode[0]) + ("+" if plus else "") + "b"


def open_io(rt: Any) -> LuaTable:
    """Build the ``io`` library table for runtime ``rt``."""
    meta = LuaTable()
    methods = LuaTable()
    lib = LuaTable()

    stdin = LuaFile(meta, rt.stdin, std=True)
    stdout = LuaFile(meta, rt.stdout, std=True)
    stderr = LuaFile(meta, rt.stderr, std=True)
    state = {"input": stdin, "output": stdout}
    # every file opened by the script, so that closing the state (and os.exit) flushes and
    # closes them as lua_close does; weak, so a dropped handle still closes when Python frees it
    opened: weakref.WeakSet[LuaFile] = weakref.WeakSet()

    def new_file(stream: BinaryIO, proc: subprocess.Popen | None = None) -> LuaFile:
        rt.alloc(64)
        f = LuaFile(meta, stream, proc=proc)
        opened.add(f)
        return f

    def flush_files() -> None:
        """Buffered output of every open file reaches its file (collectgarbage, os.execute)."""
        for f in list(opened) + [stdout, stderr]:
            if f.stream is not None:
                try:
                    f.stream.flush()
                except (OSError, ValueError, AttributeError):
                    pass

    def close_files() -> None:
        """lua_close: the standard files are flushed, every other open file is closed."""
        for f in list(opened):
            if f.stream is not None:
                aux_close(f)
        flush_files()

    rt.flush_files = flush_files
    rt.close_files = close_files

    # ------------------------------------------------------------ handles

    def tofile(args: tuple, fname: str) -> LuaFile:
        f = args[0] if args else None
        if type(f) is not LuaFile:
            type_error(args, 1, fname, "FILE*")
        if f.stream is None:
            raise LuaError("attempt to use a closed file", level=1)
        return f

    def getiofile(which: str) -> LuaFile:
        f = state[which]
        if f.stream is None:
            raise LuaError(f"default {which} file is closed", level=1)
        return f

    def aux_close(f: LuaFile) -> tuple:
        if f.std:
            return (None, b"cannot close standard file")
        stream, f.stream = f.stream, None
        proc, f.proc = f.proc, None
        try:
            stream.close()
        except OSError as e:
            if proc is None:
                return fileresult(False, None, e)
        if proc is not None:  # pclose: the child's exit status, as os.execute reports it
            try:
                return execresult(proc.wait())
            except OSError as e:
                return fileresult(False, None, e)
        return (True,)

    def opencheckfile(fname: bytes, mode: str) -> LuaFile:
        try:
            stream = open(os.fsdecode(fname.split(b"\0", 1)[0]), mode)  # C: the name ends at NUL
        except OSError as e:
            raise LuaError(f"cannot open file '{fname.decode('latin-1')}' ({e.strerror})", level=1) from None
        return new_file(stream)

    # ------------------------------------------------------------ reading

    def announce(data: bytes) -> None:
        rt.charge(len(data) // BYTES_PER_INSTRUCTION)
        rt.alloc(len(data))

    def read_line(s: Any, chop: bool) -> bytes | None:
        parts = []
        while True:
            chunk = s.readline(_CHUNK)
            if not chunk:
                break
            announce(chunk)
            parts.append(chunk)
            if chunk[-1:] == b"\n":
                break
        line = b"".join(parts)
        if not line:
            return None
        rt.alloc(STRING_OVERHEAD)
        return line[:-1] if chop and line[-1:] == b"\n" else line

    def read_chars(s: Any, n: int) -> bytes | None:
        parts = []
        while n > 0:
            chunk = s.read(min(n, _CHUNK))
            if not chunk:
                break
            announce(chunk)
            parts.append(chunk)
            n -= len(chunk)
        if not parts:
            return None
        rt.alloc(STRING_OVERHEAD)
        return b"".join(parts)

    def read_all(s: Any) -> bytes:
        parts = []
        while True:
            chunk = s.read(_CHUNK)
            if not chunk:
                break
            announce(chunk)
            parts.append(chunk)
        rt.alloc(STRING_OVERHEAD)
        return b"".join(parts)

    def test_eof(s: Any) -> bytes | None:
        return b"" if s.peek(1)[:1] else None

    def read_number(s: Any) -> int | float | None:
        """liolib's read_number: the longest prefix that can start a numeral, then tonumber."""
        buf = bytearray()

        def cur() -> int:
            b = s.peek(1)[:1]
            return b[0] if b else -1

        def nextc() -> bool:
            if len(buf) >= L_MAXLENNUM:
                buf[:] = b"\x01"  # invalidate: too long to be a numeral
                return False
            buf.append(s.read(1)[0])
            return True

        def test2(chars: bytes) -> bool:
            c = cur()
            return c != -1 and c in chars and nextc()

        def readdigits(hexa: bool) -> int:
            count = 0
            digits = _XDIGITS if hexa else _DIGITS
            while cur() in digits and nextc():
                count += 1
            return count

        while cur() in _SPACE:
            s.read(1)
        count = 0
        hexa = False
        test2(b"-+")
        if test2(b"0"):
            if test2(b"xX"):
                hexa = True
            else:
                count = 1
        count += readdigits(hexa)
        if test2(b"."):
            count += readdigits(hexa)
        if count > 0 and test2(b"pP" if hexa else b"eE"):
            test2(b"-+")
            readdigits(False)
        rt.charge(len(buf) // BYTES_PER_INSTRUCTION)
        return str2number(bytes(buf))

    def g_read(f: LuaFile, fmts: tuple, first: int) -> tuple:
        """Read with formats ``fmts``; argument ``first`` (for messages) is the first format."""
        stack = (None,) * (first - 1) + fmts  # so check_* number the arguments as C does
        try:
            s = f.reader()
            if not fmts:
                return (read_line(s, True),)
            results: list[Any] = []
            for n in range(first, first + len(fmts)):
                fmt = stack[n - 1]
                if type(fmt) is int or type(fmt) is float:
                    size = check_int(stack, n, "read")
                    v = test_eof(s) if size == 0 else read_chars(s, size & ((1 << 64) - 1))
                else:
                    p = check_str(stack, n, "read")
                    if p[:1] == b"*":
                        p = p[1:]
                    c = p[:1]
                    if c == b"n":
                        v = read_number(s)
                    elif c == b"l":
                        v = read_line(s, True)
                    elif c == b"L":
                        v = read_line(s, False)
                    elif c == b"a":
                        v = read_all(s)
                    else:
                        arg_error(n, "read", "invalid format")
                results.append(v)
                if v is None:
                    break
            return tuple(results)
        except io.UnsupportedOperation:
            return _EBADF
        except OSError as e:
            return fileresult(False, None, e)

    # ------------------------------------------------------------ writing

    def g_write(f: LuaFile, args: tuple, first: int) -> tuple:
        s = f.stream
        try:
            for k in range(first, len(args) + 1):
                v = args[k - 1]
                tv = type(v)
                if tv is int or tv is float:
                    data = _num2bytes(v)
                elif tv is bytes:
                    data = v
                else:
                    data = check_str(args, k, "write")
                rt.charge(len(data) // BYTES_PER_INSTRUCTION)
                s.write(data)
                if f.vbuf == "no" or (f.vbuf == "line" and b"\n" in data):
                    s.flush()
        except io.UnsupportedOperation:
            return _EBADF
        except OSError as e:
            return fileresult(False, None, e)
        return (f,)

    # ------------------------------------------------------------ lines

    def aux_lines(f: LuaFile, fmts: tuple, toclose: bool, fname: str) -> Any:
        if len(fmts) > MAXARGLINE:
            arg_error(MAXARGLINE + 2, fname, "too many arguments")

        def io_readline(*_: Any) -> tuple:
            if f.stream is None:
                raise LuaError("file is already closed", level=1)
            r = g_read(f, fmts, 2)
            if r[0] is not None:
                return r
            if len(r) > 1:  # a read error: (nil, message, errno)
                raise LuaError(r[1], level=1)
            if toclose:
                aux_close(f)
            return ()

        register_builtin(io_readline, "for iterator")  # one code object for every iterator
        return io_readline

    # ------------------------------------------------------------ file methods

    def f_close(*args: Any) -> tuple:
        return aux_close(tofile(args, "close"))

    def f_flush(*args: Any) -> tuple:
        f = tofile(args, "flush")
        try:
            f.stream.flush()
        except OSError as e:
            return fileresult(False, None, e)
        return (True,)

    def f_lines(*args: Any) -> tuple:
        f = tofile(args, "lines")
        return (aux_lines(f, args[1:], False, "lines"),)

    def f_read(*args: Any) -> tuple:
        f = tofile(args, "read")
        return g_read(f, args[1:], 2)

    def f_seek(*args: Any) -> tuple:
        f = tofile(args, "seek")
        op = check_option(args, 2, "seek", ["set", "cur", "end"], "cur")
        offset = opt_int(args, 3, "seek", 0)
        whence = {"set": os.SEEK_SET, "cur": os.SEEK_CUR, "end": os.SEEK_END}[op]
        try:
            pos = f.stream.seek(offset, whence)
        except (OSError, ValueError) as e:
            if isinstance(e, OSError) and e.errno:
                return fileresult(False, None, e)
            return (None, b"Illegal seek", 29)
        return (pos,)

    def f_setvbuf(*args: Any) -> tuple:
        f = tofile(args, "setvbuf")
        mode = check_option(args, 2, "setvbuf", ["no", "full", "line"])
        opt_int(args, 3, "setvbuf", 0)
        f.vbuf = mode
        if mode == "no":
            try:
                f.stream.flush()
            except (OSError, ValueError):
                pass
        if f is stdout:  # print writes to the same C stdout: it follows the same buffering
            rt.stdout = f.stream if mode == "full" else _Flushing(f.stream, mode == "line")
        return (True,)

    def f_write(*args: Any) -> tuple:
        f = tofile(args, "write")
        return g_write(f, args, 2)

    def f_gc(*args: Any) -> tuple:
        f = args[0] if args else None
        if type(f) is not LuaFile:  # tolstream: luaL_checkudata(L, 1, "FILE*")
            type_error(args, 1, "__gc", "FILE*")
        if f.stream is not None:
            aux_close(f)
        return ()

    def f_tostring(*args: Any) -> tuple:
        f = args[0] if args else None
        if type(f) is not LuaFile:
            type_error(args, 1, "tostring", "FILE*")
        if f.stream is None:
            return (b"file (closed)",)
        return (b"file (%s)" % rt.address(f).encode(),)

    # ------------------------------------------------------------ io functions

    def io_close(*args: Any) -> tuple:
        if not args:
            return aux_close(tofile((state["output"],), "close"))
        return aux_close(tofile(args, "close"))  # not through f_close: one builtin level, as in C

    def io_flush(*args: Any) -> tuple:
        f = getiofile("output")
        try:
            f.stream.flush()
        except OSError as e:
            return fileresult(False, None, e)
        return (True,)

    def g_iofile(args: tuple, which: str, mode: str, fname: str) -> tuple:
        if args and args[0] is not None:
            v = args[0]
            if type(v) is bytes or type(v) is int or type(v) is float:
                state[which] = opencheckfile(check_str(args, 1, fname), mode)
            else:
                state[which] = tofile(args, fname)
        return (state[which],)

    def io_input(*args: Any) -> tuple:
        return g_iofile(args, "input", "rb", "input")

    def io_output(*args: Any) -> tuple:
        return g_iofile(args, "output", "wb", "output")

    def io_lines(*args: Any) -> tuple:
        if not args or args[0] is None:
            f = state["input"]
            tofile((f,), "lines")
            return (aux_lines(f, args[1:], False, "lines"),)
        name = check_str(args, 1, "lines")
        f = opencheckfile(name, "rb")
        return (aux_lines(f, args[1:], True, "lines"), None, None, f)

    def io_open(*args: Any) -> tuple:
        name = check_str(args, 1, "open")
        mode = opt_str(args, 2, "open", b"r")
        pymode = _py_mode(mode)
        if pymode is None:
            arg_error(2, "open", "invalid mode")
        try:
            stream = open(os.fsdecode(name.split(b"\0", 1)[0]), pymode)  # C: the name ends at NUL
        except OSError as e:
            return fileresult(False, name, e)
        return (new_file(stream),)

    def io_popen(*args: Any) -> tuple:
        """popen(prog, "r"|"w"): the shell runs ``prog`` with its stdout (mode "r") or its
        stdin (mode "w") connected to the returned file; the rest is our own stdio."""
        prog = check_str(args, 1, "popen")
        mode = opt_str(args, 2, "popen", b"r")
        if mode not in (b"r", b"w"):
            arg_error(2, "popen", "invalid mode")
        flush_files()  # the child writes to the same stdout: keep the order of output
        try:
            if mode == b"r":
                proc = subprocess.Popen(os.fsdecode(prog), shell=True, stdout=subprocess.PIPE)
                stream = proc.stdout
            else:
                proc = subprocess.Popen(os.fsdecode(prog), shell=True, stdin=subprocess.PIPE)
                stream = proc.stdin
        except OSError as e:
            return fileresult(False, prog, e)
        return (new_file(stream, proc),)

    def io_read(*args: Any) -> tuple:
        return g_read(getiofile("input"), args, 1)

    def io_tmpfile(*args: Any) -> tuple:
        try:
            stream = tempfile.TemporaryFile(mode="w+b")
        except OSError as e:
            return fileresult(False, None, e)
        return (new_file(stream),)

    def io_type(*args: Any) -> tuple:
        if not args:
            arg_error(1, "type", "value expected")
        f = args[0]
        if type(f) is not LuaFile:
            return (None,)
        return (b"closed file" if f.stream is None else b"file",)

    def io_write(*args: Any) -> tuple:
        return g_write(getiofile("output"), args, 1)

    for name, fn in (("close", f_close), ("flush", f_flush), ("lines", f_lines), ("read", f_read),
                     ("seek", f_seek), ("setvbuf", f_setvbuf), ("write", f_write)):
        methods[name.encode()] = fn
    for name, fn in methods.items():
        register_builtin(fn, name.decode())  # not in a library table: give them levels here
    for name, fn in (("__gc", f_gc), ("__tostring", f_tostring)):
        register_builtin(fn, name)
    meta[b"__index"] = methods
    meta[b"__name"] = b"FILE*"
    meta[b"__gc"] = f_gc
    meta[b"__close"] = f_gc
    meta[b"__tostring"] = f_tostring

    for name, fn in (("close", io_close), ("flush", io_flush), ("input", io_input), ("lines", io_lines),
                     ("open", io_open), ("output", io_output), ("popen", io_popen), ("read", io_read),
                     ("tmpfile", io_tmpfile), ("type", io_type), ("write", io_write)):
        lib[name.encode()] = fn
    lib[b"stdin"] = stdin
    lib[b"stdout"] = stdout
    lib[b"stderr"] = stderr
    return lib
