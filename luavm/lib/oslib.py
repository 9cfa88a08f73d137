"""The Lua 5.4 ``os`` library (loslib.c), standalone mode only: time, clock, date, getenv,
exit, remove, rename, tmpname, difftime, execute, and setlocale (the C locale only).

Dates go through the platform's own ``mktime``/``strftime`` (via Python's ``time`` module, one
conversion specifier at a time, in the C locale) exactly as PUC does, so results match lua5.4
on the same machine. ``os.exit`` raises ``LuaExit``, which the CLI turns into the exit status.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from typing import Any

from luavm.errors import LuaError, LuavmError
from luavm.lib.args import arg_error, check_int, check_option, check_str, opt_str, type_error
from luavm.meter import STRING_OVERHEAD, TABLE_OVERHEAD, SLOT_SIZE
from luavm.luanumbers import tointeger
from luavm.table import LuaTable

INT_MAX = (1 << 31) - 1
INT_MIN = -(1 << 31)
BYTES_PER_INSTRUCTION = 16
SECONDS_PER_400_YEARS = 146_097 * 86_400

# LUA_STRFTIMEOPTIONS for C99: one-character options, then '||' and the two-character ones.
_OPTIONS_1 = frozenset(b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%")
_OPTIONS_2 = frozenset((b"Ec", b"EC", b"Ex", b"EX", b"Ey", b"EY", b"Od", b"Oe", b"OH", b"OI",
                        b"Om", b"OM", b"OS", b"Ou", b"OU", b"OV", b"Ow", b"OW", b"Oy"))


class LuaExit(LuavmError):
    """``os.exit`` was called: the CLI exits with ``code`` (already reduced to 0..255).

    ``close_state`` (``os.exit(code, true)``): the state is closed first, as lua_close does, so
    the to-be-closed variables still pending run their ``__close`` (with a nil error) while
    this exception unwinds them; without it, as C's exit, only files are flushed."""

    def __init__(self, status: int, close_state: bool = False):
        super().__init__(f"os.exit({status})")
        self.status = status
        self.code = status & 0xFF
        self.close_state = close_state


def execresult(returncode: int) -> tuple:
    """luaL_execresult for a finished child: (true|fail, "exit", code) or (fail, "signal", n)."""
    if returncode < 0:
        return (None, b"signal", -returncode)
    return (True if returncode == 0 else None, b"exit", returncode)


def fileresult(ok: bool, fname: bytes | None, err: OSError | None = None) -> tuple:
    """luaL_fileresult: true, or fail plus "fname: strerror" and errno."""
    if ok:
        return (True,)
    en = err.errno if err is not None and err.errno is not None else 0
    msg = (err.strerror or str(err)) if en else "(no extra info)"
    text = msg.encode("utf-8", "surrogateescape")
    if fname is not None:
        text = fname + b": " + text
    return (None, text, en)


def _fspath(b: bytes) -> str:
    return os.fsdecode(b.split(b"\0", 1)[0])  # C sees the name up to its first NUL


def _struct_tm(t: int, utc: bool) -> time.struct_time | None:
    """gmtime/localtime, or None where C would return NULL (out of range)."""
    try:
        return time.gmtime(t) if utc else time.localtime(t)
    except (OverflowError, OSError, ValueError):
        return None


def _c_wday(st: time.struct_time) -> int:
    return (st.tm_wday + 1) % 7  # Python counts from Monday, C from Sunday


def _setallfields(rt: Any, t: LuaTable, st: time.struct_time) -> None:
    setindex = rt.setindex
    setindex(t, b"year", st.tm_year)
    setindex(t, b"month", st.tm_mon)
    setindex(t, b"day", st.tm_mday)
    setindex(t, b"hour", st.tm_hour)
    setindex(t, b"min", st.tm_min)
    setindex(t, b"sec", st.tm_sec)
    setindex(t, b"yday", st.tm_yday)
    setindex(t, b"wday", _c_wday(st) + 1)
    if st.tm_isdst >= 0:
        setindex(t, b"isdst", bool(st.tm_isdst))


def _strftime1(spec: bytes, st: time.struct_time) -> bytes:
    """One conversion by the platform strftime (what PUC calls, in the C locale)."""
    try:
        return time.strftime("%" + spec.decode("ascii"), st).encode("utf-8", "surrogateescape")
    except (ValueError, OverflowError):
        return b""


def _checkoption(fmt: bytes, i: int) -> bytes:
    """The conversion specifier at fmt[i:] (after '%'), or Lua's error quoting the rest."""
    rest = fmt[i:]
    if rest[:1] and rest[0] in _OPTIONS_1:
        return rest[:1]
    if rest[:2] in _OPTIONS_2:
        return rest[:2]
    conv = rest.split(b"\0", 1)[0].decode("latin-1")
    arg_error(1, "date", f"invalid conversion specifier '%{conv}'")


def open_os(rt: Any) -> LuaTable:
    """Build the ``os`` library table for runtime ``rt``."""

    def checktime(args: tuple, n: int, fname: str) -> int:
        return check_int(args, n, fname)

    def getfield(t: Any, key: str, d: int, delta: int) -> int:
        v = rt.index(t, key.encode())
        res = tointeger(v)
        if res is None:
            if v is not None:
                raise LuaError(f"field '{key}' is not an integer", level=1)
            if d < 0:
                raise LuaError(f"field '{key}' missing in date table", level=1)
            return d
        if not (res - delta <= INT_MAX if res >= 0 else INT_MIN + delta <= res):
            raise LuaError(f"field '{key}' is out-of-bound", level=1)
        return res - delta

    def os_time(*args: Any) -> tuple:
        if not args or args[0] is None:
            return (int(time.time()),)
        t = args[0]
        if type(t) is not LuaTable:
            type_error(args, 1, "time", "table")
        year = getfield(t, "year", -1, 1900)
        mon = getfield(t, "month", -1, 1)
        mday = getfield(t, "day", -1, 0)
        hour = getfield(t, "hour", 12, 0)
        mnt = getfield(t, "min", 0, 0)
        sec = getfield(t, "sec", 0, 0)
        dst = rt.index(t, b"isdst")
        isdst = -1 if dst is None else int(dst is not False)
        # Python's mktime wants the full year in a C int, C's wants year - 1900: years past
        # 2400 go through an equivalent year of the 400-year Gregorian cycle, shifted back after.
        cycles = max(0, (year + 1900 - 2000) // 400)
        try:
            r = time.mktime((year + 1900 - 400 * cycles, mon + 1, mday, hour, mnt, sec, 0, 0, isdst))
            st = time.localtime(r)
        except (OverflowError, ValueError, OSError):
            r, st = -1.0, None
        res = int(r) + cycles * SECONDS_PER_400_YEARS
        if st is not None and cycles:
            st = time.struct_time((st.tm_year + 400 * cycles,) + tuple(st)[1:])
        if r == -1.0 or st is None or st.tm_year - 1900 > INT_MAX:
            raise LuaError("time result cannot be represented in this installation", level=1)
        _setallfields(rt, t, st)
        return (res,)

    def os_clock(*args: Any) -> tuple:
        return (time.process_time(),)

    def os_date(*args: Any) -> tuple:
        fmt = opt_str(args, 1, "date", b"%c")
        t = checktime(args, 2, "date") if len(args) >= 2 and args[1] is not None else int(time.time())
        utc = fmt[:1] == b"!"
        s = fmt[1:] if utc else fmt
        st = _struct_tm(t, utc)
        if st is not None and utc:
            st = time.struct_time(tuple(st), {"tm_zone": "GMT", "tm_gmtoff": 0})
        if st is None:
            raise LuaError("date result cannot be represented in this installation", level=1)
        if s.split(b"\0", 1)[0] == b"*t":
            rt.alloc(TABLE_OVERHEAD + 9 * SLOT_SIZE)
            res = LuaTable()
            _setallfields(rt, res, st)
            return (res,)
        out = []
        i, n = 0, len(s)
        while i < n:
            j = s.find(b"%", i)
            if j < 0:
                out.append(s[i:])
                break
            out.append(s[i:j])
            spec = _checkoption(s, j + 1)
            out.append(_strftime1(spec, st))
            i = j + 1 + len(spec)
        result = b"".join(out)
        rt.charge(len(result) // BYTES_PER_INSTRUCTION)
        rt.alloc(STRING_OVERHEAD + len(result))
        return (result,)

    def os_getenv(*args: Any) -> tuple:
        name = check_str(args, 1, "getenv")
        return (os.environb.get(name.split(b"\0", 1)[0]),)

    def os_exit(*args: Any) -> tuple:
        v = args[0] if args else None
        if v is True or v is False:
            status = 0 if v else 1
        elif v is None:
            status = 0
        else:
            status = check_int(args, 1, "exit")
        close = len(args) > 1 and args[1] is not None and args[1] is not False
        raise LuaExit(status, close)

    def os_remove(*args: Any) -> tuple:
        name = check_str(args, 1, "remove")
        path = _fspath(name)
        try:
            try:
                os.unlink(path)
            except IsADirectoryError:  # C's remove() also removes empty directories
                os.rmdir(path)
        except OSError as e:
            return fileresult(False, name, e)
        return (True,)

    def os_rename(*args: Any) -> tuple:
        old = check_str(args, 1, "rename")
        new = check_str(args, 2, "rename")
        try:
            os.rename(_fspath(old), _fspath(new))
        except OSError as e:
            return fileresult(False, None, e)
        return (True,)

    def os_tmpname(*args: Any) -> tuple:
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        for _ in range(100):
            name = "/tmp/lua_" + "".join(random.choice(chars) for _ in range(6))
            try:
                fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError:
                break
            os.close(fd)
            return (name.encode(),)
        raise LuaError("unable to generate a unique filename", level=1)

    def os_difftime(*args: Any) -> tuple:
        t1 = checktime(args, 1, "difftime")
        t2 = checktime(args, 2, "difftime")
        return (float(t1 - t2),)

    def os_execute(*args: Any) -> tuple:
        cmd = opt_str(args, 1, "execute", None)
        if cmd is None:
            return (os.path.exists("/bin/sh"),)  # is a shell available?
        flush = getattr(rt, "flush_files", None)
        if flush is not None:  # the child writes to the same files: keep the order of output
            flush()
        else:
            rt.stdout.flush()
        try:
            r = subprocess.run(os.fsdecode(cmd), shell=True)
        except OSError as e:
            return fileresult(False, None, e)
        return execresult(r.returncode)

    def os_setlocale(*args: Any) -> tuple:
        """luavm always runs in the C locale: it can be queried or confirmed, not changed."""
        loc = opt_str(args, 1, "setlocale", None)
        check_option(args, 2, "setlocale", ["all", "collate", "ctype", "monetary", "numeric", "time"], "all")
        if loc is None or loc in (b"", b"C", b"POSIX"):
            return (b"C",)
        return (None,)

    lib = LuaTable()
    for name, fn in (("clock", os_clock), ("date", os_date), ("difftime", os_difftime),
                     ("execute", os_execute), ("exit", os_exit), ("getenv", os_getenv),
                     ("remove", os_remove), ("rename", os_rename), ("setlocale", os_setlocale),
                     ("time", os_time), ("tmpname", os_tmpname)):
        lib[name.encode()] = fn
    return lib
