"""The base library (Lua 5.4 manual §6.1): print, type, pcall, error, load, pairs, select..."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Generator

from luavm import callstack
from luavm.callstack import register_builtin
from luavm.errors import LuaError, LuaSyntaxError, MemoryLimitExceeded
from luavm.lib.args import arg_error, check_any, check_int, check_table, opt_int, opt_str, type_error, typename
from luavm.lib.collector import make_collectgarbage
from luavm.lib.fileload import load_file
from luavm.luanumbers import MAXINT, MININT, number2str, str2number, wrap
from luavm.table import LuaTable, next_key, rawlen
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

N1 = (None,)
MAX_LOAD_SIZE = 16 * 2**20  # text chunks larger than this are refused by `load`
ERROR_INSTRUCTIONS = 2  # raising and catching a Python exception costs a few plain instructions
PRINT_SLICE = 64 * 1024  # print writes long strings in slices, paying for each first
_DIGITS = b"0123456789abcdefghijklmnopqrstuvwxyz"
_BASE_DIGITS = {b: _DIGITS[:b] for b in range(2, 37)}
_MASK64 = (1 << 64) - 1
_TONUMBER_CHUNK = 12  # digits converted at once: 36**12 < 2**63


def _wrapped_int(s: bytes, base: int, charge: Any) -> int:
    """The digits ``s`` in ``base``, wrapped to 64 bits as PUC's lua_Unsigned arithmetic does.

    Linear, not quadratic: the value is reduced modulo 2**64 as it goes. For an even base only
    the last 64 digits can change the low 64 bits (base**64 is a multiple of 2**64). Converting
    an odd base costs one more instruction per 16 digits, paid block by block, so the limits are
    looked at every few thousand digits.
    """
    if base % 2 == 0:
        s = s[-64:]  # (all the digits were paid for by the scan)
    step = base ** _TONUMBER_CHUNK
    n = 0
    block = _TONUMBER_CHUNK * 256
    for b in range(0, len(s), block):
        if base % 2:
            charge(min(block, len(s) - b) >> 4)
        for i in range(b, min(b + block, len(s)), _TONUMBER_CHUNK):
            piece = s[i:i + _TONUMBER_CHUNK]
            mul = step if len(piece) == _TONUMBER_CHUNK else base ** len(piece)
            n = (n * mul + int(piece, base)) & _MASK64
    return n


def _raw_equal(a: Any, b: Any) -> bool:
    """Primitive equality: no metamethods; booleans are not numbers; NaN equals nothing."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool or ta is LuaTable or tb is LuaTable:
        return a is b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a == b
    if ta is bytes and tb is bytes:
        return a == b
    return a is b


def open_base(rt: LuaRuntime, G: LuaTable, sandbox: bool) -> None:
    ops = rt.ops

    def print_(*args: Any) -> tuple:
        # Written piece by piece, never joined: print(table.unpack(t)) with 300 references to one
        # 1 MB string would otherwise build 300 MB that no memory limit sees. Each piece is paid
        # for before it is written, in slices, so a limit stops a long print in time.
        write, tostring, charge = rt.stdout.write, ops.tostring, rt.charge
        sep = b""
        for a in args:
            s = tostring(a)
            if sep:
                write(sep)
            n = len(s)
            if n <= PRINT_SLICE:
                charge(n >> 4)
                write(s)
            else:
                view = memoryview(s)
                for i in range(0, n, PRINT_SLICE):
                    charge(PRINT_SLICE >> 4)
                    write(view[i:i + PRINT_SLICE])
            sep = b"\t"
        write(b"\n")
        return ()

    def type_(*args: Any) -> tuple:
        check_any(args, 1, "type")
        return (typename(args[0]).encode(),)

    def tostring(*args: Any) -> tuple:
        check_any(args, 1, "tostring")
        return (ops.tostring(args[0]),)

    def tonumber(*args: Any) -> tuple:
        if len(args) < 2 or args[1] is None:
            v = check_any(args, 1, "tonumber")
            if type(v) is int or type(v) is float:
                return (v,)
            if type(v) is bytes:
                rt.charge(len(v) >> 4)
                return (str2number(v),)
            return N1
        base = check_int(args, 2, "tonumber")
        v = args[0]
        if type(v) is not bytes:
            type_error(args, 1, "tonumber", "string")
        if not 2 <= base <= 36:
            arg_error(2, "tonumber", "base out of range")
        rt.charge(len(v) >> 4)  # the scans below: strip, lower, the digit check
        s = v.strip(b" \t\n\v\f\r").lower()
        neg = s.startswith(b"-")
        if neg or s.startswith(b"+"):
            s = s[1:]
        if not s:
            return N1
        if s.translate(None, _BASE_DIGITS[base]):
            return N1  # a character that is not a digit of this base
        n = _wrapped_int(s, base, rt.charge)
        return (wrap(-n if neg else n),)

    def ipairs_iter(*args: Any) -> tuple:
        # ipairsaux: the control value must be an integer, and the step wraps (luaL_intop)
        i = args[1] if len(args) > 1 else None
        if type(i) is not int:
            i = check_int(args, 2, "?")
        i = i + 1 if i != MAXINT else MININT
        t = args[0]
        v = t.get(i) if type(t) is LuaTable and t.meta is None else ops.index(t, i)
        return N1 if v is None else (i, v)

    def ipairs(*args: Any) -> tuple:
        t = check_any(args, 1, "ipairs")
        return (ipairs_iter, t, 0)

    def next_(*args: Any) -> tuple:
        t = check_table(args, 1, "next")
        r = next_key(t, args[1] if len(args) > 1 else None, rt.charge_snapshot)
        return r if r is not None else N1

    def pairs(*args: Any) -> tuple:
        t = check_any(args, 1, "pairs")
        h = ops.metamethod(t, b"__pairs")
        if h is not None:
            r = rt.call(h, t)
            return (r + (None, None, None))[:3]
        if not isinstance(t, LuaTable):
            type_error(args, 1, "pairs", "table")
        return (next_, t, None)

    def rawequal(*args: Any) -> tuple:
        a = check_any(args, 1, "rawequal")
        b = check_any(args, 2, "rawequal")
        return (_raw_equal(a, b),)

    def rawlen_(*args: Any) -> tuple:
        v = args[0] if args else None
        if isinstance(v, LuaTable):
            return (rawlen(v),)
        if type(v) is bytes:
            return (len(v),)
        type_error(args, 1, "rawlen", "table or string")

    def rawget(*args: Any) -> tuple:
        t = check_table(args, 1, "rawget")
        k = check_any(args, 2, "rawget")
        from luavm.table import rawget as rg

        return (rg(t, k),)

    def rawset(*args: Any) -> tuple:
        t = check_table(args, 1, "rawset")
        check_any(args, 2, "rawset")
        check_any(args, 3, "rawset")
        from luavm.table import rawset as rs

        if args[1] not in t:
            rt.alloc_slot(t)
        rs(t, args[1], args[2])
        return (t,)

    def setmetatable(*args: Any) -> tuple:
        if len(args) == 2:  # the usual call: a table without metatable gets a table (or nil)
            t, mt = args
            if type(t) is LuaTable and t.meta is None and (type(mt) is LuaTable or mt is None):
                t.meta = mt
                return (t,)
        t = check_table(args, 1, "setmetatable")
        mt = args[1] if len(args) > 1 else None
        if len(args) < 2 or (mt is not None and type(mt) is not LuaTable):
            type_error(args, 2, "setmetatable", "nil or table")
        if (t.meta is not None and t.meta.get(b"__metatable") is not None) or type(t) is not LuaTable:
            raise LuaError("cannot change a protected metatable", level=1)
        t.meta = mt
        return (t,)

    def getmetatable(*args: Any) -> tuple:
        v = check_any(args, 1, "getmetatable")
        mt = ops.getmetatable(v)
        if mt is None:
            return N1
        protected = mt.get(b"__metatable")
        return (protected if protected is not None else mt,)

    def assert_(*args: Any) -> tuple:
        if not args:
            arg_error(1, "assert", "value expected")
        v = args[0]
        if v is None or v is False:
            msg = args[1] if len(args) > 1 else b"assertion failed!"
            raise LuaError(msg, level=1) if type(msg) is bytes else LuaError(msg)
        return args

    def error(*args: Any) -> tuple:
        v = args[0] if args else None
        level = opt_int(args, 2, "error", 1)
        rt.charge(ERROR_INSTRUCTIONS)
        if type(v) is bytes and level > 0:
            raise LuaError(_where(level) + v)
        raise LuaError(v)

    def _where(level: int) -> bytes:
        """``chunk:line: `` of Lua level ``level`` (0 = error itself), as callstack.where, but paid
        for: the walk costs one instruction per Python frame passed, charged every 1,024 frames,
        so ``error(msg, 1e9)`` at the bottom of a deep stack is as dear as the stack is deep."""
        chunks, builtins = callstack.CHUNKS, callstack.BUILTIN_CODES
        f = sys._getframe(1)
        i = steps = 0
        merged = False  # the frame calling an outlined region is the region's own Lua level
        while f is not None:
            code = f.f_code
            if (code.co_filename in chunks and not code.co_name.startswith("_mk")) or code in builtins:
                if not merged:
                    if i == level:
                        lf = callstack.classify(code, f.f_lineno)
                        return lf.where if lf is not None else b""
                    i += 1
                merged = callstack.is_outlined(code)
            steps += 1
            if steps & 1023 == 0:
                rt.charge(1024)
            f = f.f_back
        return b""

    def pcall(*args: Any) -> tuple:
        f = check_any(args, 1, "pcall")
        try:
            return (True,) + rt.call(f, *args[1:])
        except LuaError as e:
            return (False, e.value)
        except RecursionError as e:
            return (False, rt.stack_overflow_value(e))

    def xpcall(*args: Any) -> tuple:
        f = check_any(args, 1, "xpcall")
        handler = args[1] if len(args) > 1 else None
        if not callable(handler) or isinstance(handler, (LuaTable, Userdata)):
            type_error(args, 2, "xpcall", "function")
        try:
            return (True,) + rt.call(f, *args[2:])
        except LuaError as e:
            value = e.value
            tb = e.__traceback__  # the handler sees the error's levels (debug library, callstack.levels)
        except RecursionError as e:
            value = rt.stack_overflow_value(e)
        return handle(handler, value)

    def handle(handler: Any, value: Any) -> tuple:
        """xpcall's message handler: an erroring handler is called again with its own error,
        as in PUC, until its C stack runs out (LUA_ERRERR)."""
        for _ in range(200):
            try:
                return (False,) + rt.call(handler, value)
            except LuaError as e2:
                value = e2.value
            except RecursionError as e2:  # the handler overflowed the stack: LUA_ERRERR
                rt.stack_overflow_value(e2)  # (a limit met on the way wins: it re-raises)
                break
        return (False, b"error in error handling")

    # Generator variants (genops.py): inside a coroutine the protected call runs in generator
    # mode, so the function may yield across pcall/xpcall as Lua 5.4 allows. The message
    # handler runs plainly (PUC calls it with no yields allowed).
    gcall = rt.genops.gcall

    def pcall_g(*args: Any) -> Generator[tuple, tuple, tuple]:
        f = check_any(args, 1, "pcall")
        try:
            return (True,) + (yield from gcall(f, args[1:]))
        except LuaError as e:
            return (False, e.value)
        except RecursionError as e:
            return (False, rt.stack_overflow_value(e))

    def xpcall_g(*args: Any) -> Generator[tuple, tuple, tuple]:
        f = check_any(args, 1, "xpcall")
        handler = args[1] if len(args) > 1 else None
        if not callable(handler) or isinstance(handler, (LuaTable, Userdata)):
            type_error(args, 2, "xpcall", "function")
        try:
            return (True,) + (yield from gcall(f, args[2:]))
        except LuaError as e:
            value = e.value
        except RecursionError as e:
            value = rt.stack_overflow_value(e)
        return handle(handler, value)

    def pairs_g(*args: Any) -> Generator[tuple, tuple, tuple]:
        """pairs inside a coroutine: ``__pairs`` may yield (PUC calls it with lua_callk)."""
        t = check_any(args, 1, "pairs")
        h = ops.metamethod(t, b"__pairs")
        if h is None:
            return pairs(*args)
        r = yield from gcall(h, (t,))
        return (r + (None, None, None))[:3]

    pcall._g = pcall_g  # type: ignore[attr-defined]
    pairs._g = pairs_g  # type: ignore[attr-defined]
    xpcall._g = xpcall_g  # type: ignore[attr-defined]
    register_builtin(pcall_g, "pcall")
    register_builtin(xpcall_g, "xpcall")

    def select(*args: Any) -> tuple:
        n = args[0] if args else None
        if n == b"#":
            return (len(args) - 1,)
        i = check_int(args, 1, "select")
        if i < 0:
            i = len(args) - 1 + i
            if i < 0:
                arg_error(1, "select", "index out of range")
            return args[1 + i:]
        if i == 0:
            arg_error(1, "select", "index out of range")
        return args[i:]

    def load(*args: Any) -> tuple:
        chunk = args[0] if args else None
        name = args[1] if len(args) > 1 else None
        mode = args[2] if len(args) > 2 else b"bt"
        env = args[3] if len(args) > 3 else ...
        if type(chunk) is bytes:
            src = chunk
            default_name = chunk
        elif type(chunk) in (int, float):
            src = default_name = number2str(chunk)
        elif chunk is not None and (type(chunk) is not LuaTable or ops.metamethod(chunk, b"__call")):
            pieces = []
            total = 0
            while True:
                try:
                    r = rt.call(chunk)
                except LuaError as e:  # the reader runs in lua_load's protected call
                    return (None, e.value)
                piece = r[0] if r else None
                if piece is None or piece == b"":
                    break
                if type(piece) is not bytes:
                    try:
                        raise LuaError("reader function must return a string", level=1)
                    except LuaError as e:
                        return (None, e.value)
                total += len(piece)
                if total > MAX_LOAD_SIZE:
                    return (None, b"chunk too large")
                # The buffer is not visible to the collector, which gives the pieces back as
                # garbage: never hold more than the memory limit in it.
                mem_limit = rt.limits.memory
                if mem_limit is not None and total > mem_limit:
                    raise MemoryLimitExceeded(mem_limit)
                rt.charge(1 + (len(piece) >> 5))
                pieces.append(piece)
            src = b"".join(pieces)
            default_name = b"=(load)"
        else:
            type_error(args, 1, "load", "function")
        if name is not None and type(name) is not bytes:
            type_error(args, 2, "load", "string")
        chunkname = (name if name is not None else default_name).decode("latin-1")
        if type(mode) is not bytes:
            mode = b"bt"
        if src[:1] == b"\x1b":
            if b"b" not in mode or sandbox:
                return (None, b"attempt to load a binary chunk (mode is '%s')" % mode)
            from luavm.dump import load_binary

            return load_binary(rt, src, name if name is not None else default_name,
                               env if env is not ... else rt.globals)
        if b"t" not in mode:
            return (None, b"attempt to load a text chunk (mode is '%s')" % mode)
        if len(src) > MAX_LOAD_SIZE:
            return (None, b"chunk too large")
        rt.charge(1 + (len(src) >> 4))
        try:  # parse and compile are charged by tokens (runtime._compile, docs/METERING.md)
            fn = rt.load(src, chunkname, env if env is not ... else rt.globals, is_file=False, metered=True)
        except LuaSyntaxError as e:
            return (None, e.value)
        return (fn,)

    collectgarbage = make_collectgarbage(rt, sandbox)

    def warn(*args: Any) -> tuple:
        if not args:
            arg_error(1, "warn", "string expected, got no value")
        parts = []
        for i, a in enumerate(args):
            if type(a) is not bytes:
                type_error(args, i + 1, "warn", "string")
            parts.append(a)
        msg = b"".join(parts)
        state = getattr(rt, "_warn_on", False)
        if len(args) == 1 and msg.startswith(b"@"):
            if msg == b"@on":
                rt._warn_on = True
            elif msg == b"@off":
                rt._warn_on = False
            return ()
        if state:
            rt.stderr.write(b"Lua warning: " + msg + b"\n")
        return ()

    funcs = {
        "assert": assert_, "collectgarbage": collectgarbage, "error": error,
        "getmetatable": getmetatable, "ipairs": ipairs, "load": load, "next": next_, "pairs": pairs,
        "pcall": pcall, "print": print_, "rawequal": rawequal, "rawget": rawget, "rawlen": rawlen_,
        "rawset": rawset, "select": select, "setmetatable": setmetatable, "tonumber": tonumber,
        "tostring": tostring, "type": type_, "xpcall": xpcall, "warn": warn,
    }
    for name, f in funcs.items():
        G[name.encode()] = f
    G[b"_G"] = G
    G[b"_VERSION"] = b"Lua 5.4"
    rt.lua_next = next_
    rt.ipairs_iter = ipairs_iter
    callstack.register_builtin(ipairs_iter, "?")  # a C function with no global name, as in PUC
    if not sandbox:
        def dofile(*args: Any) -> tuple:
            """luaL_dofile without protection: load errors are raised as they are."""
            path = opt_str(args, 1, "dofile", None)
            return rt.call(load_file(rt, path))

        def dofile_g(*args: Any) -> Generator[tuple, tuple, tuple]:
            """dofile inside a coroutine: the chunk may yield (PUC runs it with lua_callk)."""
            path = opt_str(args, 1, "dofile", None)
            return (yield from gcall(load_file(rt, path), ()))

        dofile._g = dofile_g  # type: ignore[attr-defined]

        def loadfile(*args: Any) -> tuple:
            path = opt_str(args, 1, "loadfile", None)
            mode = opt_str(args, 2, "loadfile", b"bt")
            env = args[2] if len(args) > 2 else ...
            try:
                return (load_file(rt, path, mode, env),)
            except LuaError as e:  # a syntax error, a mode refused, or a file not readable
                return (None, e.value)

        G[b"dofile"] = dofile
        G[b"loadfile"] = loadfile
