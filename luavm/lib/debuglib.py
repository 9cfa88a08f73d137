"""The Lua 5.4 ``debug`` library for standalone scripts (never installed in the sandbox).

Levels, names and positions come from callstack.py (Python frames of generated code mapped to
Lua levels); locals, parameters and upvalues from the ``FuncProto`` the compiler records for each
function. Upvalues are the closure's Python cells (captured locals are one-element lists, so
``upvaluejoin`` shares a list; the chunk's ``_ENV`` is the factory's ``ENV`` cell). Hooks are in
hooks.py. The sandbox never gets this library: it can read and change anything.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from types import CellType, FrameType, FunctionType
from typing import TYPE_CHECKING, Any

from luavm import callstack
from luavm.callstack import FuncProto, Level
from luavm.errors import LuaError
from luavm.lib.args import arg_error, check_int, opt_int, type_error, typename
from luavm.table import LuaTable
from luavm.userdata import Userdata

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

_OPTIONS = frozenset("SlnrutfL")


# builtins that are C closures with upvalues in PUC (by registered name): how many
C_UPVALUES = {"gmatch_aux": 3}  # lstrlib.c: the subject, the pattern, the GMatchState


class UpvalueId(Userdata):
    """``debug.upvalueid``'s light userdata: equal when two closures share the upvalue."""

    __slots__ = ("target",)

    def __init__(self, target: object):
        super().__init__(None)
        self.target = target

    def __eq__(self, other: object) -> bool:
        return type(other) is UpvalueId and other.target is self.target

    def __hash__(self) -> int:
        return id(self.target)


# ---------------------------------------------------------------------- functions and their cells


def proto_of(f: Any) -> tuple[callstack.ChunkInfo, FuncProto] | None:
    """The chunk and debug information of a compiled Lua function, None for a builtin."""
    code = getattr(f, "__code__", None)
    if code is None:
        return None
    info = callstack.CHUNKS.get(code.co_filename)
    if info is None:
        return None
    proto = info.protos.get(code.co_name)
    return None if proto is None else (info, proto)


def _cells(f: FunctionType) -> dict[str, CellType]:
    return dict(zip(f.__code__.co_freevars, f.__closure__ or ()))


def function_of(frame: FrameType) -> Any:
    """The function object a frame runs: the closure of its code whose cells hold the frame's
    (for a generator twin's frame, the plain Lua function it is the twin of)."""
    fn = _function_of(frame)
    return getattr(fn, "_lua", fn)


def _function_of(frame: FrameType) -> Any:
    code = frame.f_code
    cands = [r for r in gc.get_referrers(code) if type(r) is FunctionType and r.__code__ is code]
    if len(cands) <= 1:
        return cands[0] if cands else None
    loc = frame.f_locals
    for fn in cands:
        ok = True
        for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
            try:
                if cell.cell_contents is not loc.get(name):
                    ok = False
                    break
            except ValueError:
                pass
        if ok:
            return fn
    return cands[0]


def _upvalue(f: Any, n: int) -> tuple[str, CellType | None, bool] | None:
    """(name, Python cell, holds a one-element list) of upvalue ``n`` of a Lua function."""
    pp = proto_of(f)
    if pp is None or type(n) is not int or not 1 <= n <= len(pp[1].upvalues):
        return None
    name, pyname = pp[1].upvalues[n - 1]
    cell = _cells(f).get(pyname)
    return name, cell, pyname != "ENV" or pp[1].env_cell


def _cell_value(cell: CellType | None, boxed: bool) -> Any:
    if cell is None:
        return None
    try:
        v = cell.cell_contents
    except ValueError:
        return None
    return v[0] if boxed else v


# ---------------------------------------------------------------------- frame locals


def _write_local(frame: FrameType, pyname: str, value: Any) -> None:
    """Assign a Python local of a running frame (PEP 667 proxies on 3.13+, LocalsToFast before)."""
    loc = frame.f_locals
    loc[pyname] = value
    if sys.version_info < (3, 13):
        ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))


def _active_locals(lv: Level) -> list[callstack.LocalInfo]:
    if lv.proto is None:
        return []
    line = lv.frame.f_lineno
    return [v for v in lv.proto.locals if v.start <= line < v.end]


def _type_fits(vtype: str, value: Any) -> bool:
    """A local the compiler typed (int or float only) must keep its type: its code relies on it."""
    from luavm.compile.typeinfer import FLT, INT

    if vtype == INT:
        return type(value) is int
    if vtype == FLT:
        return type(value) is float
    if vtype in ("num", "number"):
        return type(value) in (int, float)
    return True


def open_debug(rt: LuaRuntime) -> LuaTable:
    from luavm.coroutine import Coroutine
    from luavm.lib import hooks

    registry = LuaTable()  # what Lua code can see of PUC's registry
    hookkey = hooks.hooks_of(rt).hookkey
    hookkey.meta = LuaTable({b"__mode": b"k"})
    registry[b"_HOOKKEY"] = hookkey

    def thread_arg(args: tuple, own: Any) -> tuple[Any, tuple, Any, int]:
        """Split an optional thread first argument: (thread, rest, its stack, arg offset); the
        stack is a frame to walk outwards from, or a coroutine's frames innermost first.

        Level 0 of the running thread is the debug function itself (``own``, its frame)."""
        if args and isinstance(args[0], Coroutine):
            co = args[0]
            if co is rt.current_coroutine or getattr(co, "is_main", False) and rt.current_coroutine is None:
                return co, args[1:], own, 1
            return co, args[1:], callstack.coroutine_frames(co), 1
        return None, args, own, 0

    # ------------------------------------------------------------------ getinfo

    def getinfo(*args: Any) -> tuple:
        co, rest, frame, off = thread_arg(args, sys._getframe(0))
        what = rest[1] if len(rest) > 1 else None
        if what is None:
            opts = "flnSrtu"
        elif type(what) is bytes or type(what) in (int, float):
            opts = rt.tostring(what).decode("latin-1")
        else:
            type_error(args, 2 + off, "getinfo", "string")
        target = rest[0] if rest else None
        lv: Level | None = None
        if callable(target) and not isinstance(target, (LuaTable, Userdata, Coroutine)):
            func = target
        else:  # db_getinfo: a level out of range answers nil before the options are checked
            level = check_int(args, 1 + off, "getinfo")
            lv = callstack.level_at(frame, level) if frame is not None and level >= 0 else None
            if lv is None:
                return (None,)
            func = None
        if opts.startswith(">"):
            arg_error(2 + off, "getinfo", "invalid option '>'")
        if any(c not in _OPTIONS for c in opts):
            arg_error(2 + off, "getinfo", "invalid option")
        info = LuaTable()
        pp = proto_of(func) if lv is None else ((lv.chunk, lv.proto) if lv.proto is not None else None)
        if "S" in opts:
            if pp is None:
                info[b"source"], info[b"short_src"] = b"=[C]", b"[C]"
                info[b"linedefined"] = info[b"lastlinedefined"] = -1
                info[b"what"] = b"C"
            else:
                chunk, proto = pp
                info[b"source"] = chunk.source.encode("latin-1", "replace")
                info[b"short_src"] = chunk.chunkname.encode("latin-1", "replace")
                info[b"linedefined"] = proto.linedefined
                info[b"lastlinedefined"] = proto.lastlinedefined
                info[b"what"] = b"main" if proto.name == "main chunk" else b"Lua"
        if "l" in opts:
            info[b"currentline"] = lv.line if lv is not None and lv.chunk is not None else -1
        if "u" in opts:
            if pp is None:
                info[b"nups"], info[b"nparams"], info[b"isvararg"] = 0, 0, True
            else:
                info[b"nups"] = len(pp[1].upvalues)
                info[b"nparams"] = pp[1].nparams
                info[b"isvararg"] = pp[1].is_vararg
        if "n" in opts or "t" in opts:
            name, namewhat, tail = lv.call_info() if lv is not None else (None, "", False)
            if "n" in opts:
                info[b"name"] = name.encode("latin-1") if name is not None else None
                info[b"namewhat"] = namewhat.encode()
            if "t" in opts:
                info[b"istailcall"] = tail
        if "r" in opts:
            ft, vals = hooks.transfer(rt, lv.frame) if lv is not None else (0, ())
            info[b"ftransfer"], info[b"ntransfer"] = ft, len(vals)
        if "L" in opts:
            if pp is None:
                info[b"activelines"] = None
            else:
                chunk, proto = pp
                act = LuaTable()
                for p in range(proto.body_start, min(proto.body_end, len(chunk.lines))):
                    if chunk.lines[p] > 0:
                        act[chunk.lines[p]] = True
                info[b"activelines"] = act
        if "f" in opts:
            info[b"func"] = func if lv is None else function_of(lv.frame)
        return (info,)

    # ------------------------------------------------------------------ locals

    def _local_slot(args: tuple, fname: str) -> tuple[Level, Any, str, Any] | None:
        """(level, slot, name, value) of local ``n`` at a level; None when there is none."""
        co, rest, frame, off = thread_arg(args, sys._getframe(1))
        if fname == "getlocal":  # db_getlocal checks the index first, db_setlocal the level
            n = check_int(args, 2 + off, fname)
            lvl = check_int(args, 1 + off, fname)
        else:
            lvl = check_int(args, 1 + off, fname)
            n = check_int(args, 2 + off, fname)
        lv = callstack.level_at(frame, lvl) if frame is not None and lvl >= 0 else None
        if lv is None:
            arg_error(1 + off, fname, "level out of range")
        if fname == "setlocal" and len(rest) < 3:
            arg_error(3 + off, fname, "value expected")
        ft, vals = hooks.transfer(rt, lv.frame)
        if ft and ft <= n < ft + len(vals) and (lv.chunk is None or n > len(_active_locals(lv))):
            # values passed or returned, seen from a call or return hook
            return lv, None, "(C temporary)" if lv.chunk is None else "(temporary)", vals[n - ft]
        if lv.chunk is None:  # a builtin: its arguments are PUC's "(C temporary)" stack slots
            cargs = lv.frame.f_locals.get("args")
            if type(cargs) is not tuple or not 1 <= n <= len(cargs):
                return None
            return lv, None, "(C temporary)", cargs[n - 1]
        if n < 0:
            if lv.proto is None or not lv.proto.is_vararg:
                return None
            va = lv.frame.f_locals.get("VA", ())
            if -n > len(va):
                return None
            return lv, ("VA", -n - 1), "(vararg)", va[-n - 1]
        act = _active_locals(lv)
        if not 1 <= n <= len(act):
            return None
        v = act[n - 1]
        val = lv.frame.f_locals.get(v.pyname)
        if v.captured and type(val) is list:  # (a parameter is boxed after the call hook)
            val = val[0]
        return lv, v, v.name, val

    def getlocal(*args: Any) -> tuple:
        co, rest, _, off = thread_arg(args, None)
        target = rest[0] if rest else None
        if callable(target) and not isinstance(target, (LuaTable, Userdata, Coroutine)):
            n = check_int(args, 2 + off, "getlocal")
            pp = proto_of(target)
            if pp is None or not 1 <= n <= pp[1].nparams:
                return (None,)
            return (pp[1].locals[n - 1].name.encode("latin-1"),)
        slot = _local_slot(args, "getlocal")
        if slot is None:
            return (None,)
        return (slot[2].encode("latin-1"), slot[3])

    def setlocal(*args: Any) -> tuple:
        co, rest, _, off = thread_arg(args, None)
        slot = _local_slot(args, "setlocal")
        value = rest[2]
        if slot is None:
            return (None,)
        lv, v, name, _ = slot
        frame = lv.frame
        if v is None:
            return (None,)  # a builtin's argument tuple cannot change
        if type(v) is tuple:  # a vararg: VA is a tuple, replaced by a copy with the new value
            va = list(frame.f_locals.get("VA", ()))
            va[v[1]] = value
            _write_local(frame, "VA", tuple(va))
        elif v.captured and type(frame.f_locals.get(v.pyname)) is list:
            frame.f_locals[v.pyname][0] = value
        else:
            if not _type_fits(v.vtype, value):
                raise LuaError(f"luavm: local '{v.name}' was compiled as a {v.vtype} and cannot hold a "
                               f"{typename(value)}", level=1)
            _write_local(frame, v.pyname, value)
        return (name.encode("latin-1"),)

    # ------------------------------------------------------------------ upvalues

    def _check_func(args: tuple, n: int, fname: str) -> Any:
        f = args[n - 1] if len(args) >= n else None
        if not (callable(f) and not isinstance(f, (LuaTable, Userdata, Coroutine))):
            type_error(args, n, fname, "function")
        return f

    def getupvalue(*args: Any) -> tuple:
        n = check_int(args, 2, "getupvalue")
        f = _check_func(args, 1, "getupvalue")
        up = _upvalue(f, n)
        if up is None:
            return ()
        name, cell, boxed = up
        return (name.encode("latin-1"), _cell_value(cell, boxed))

    def _set_env(f: Any, cell: CellType, value: Any) -> None:
        info = callstack.CHUNKS.get(f.__code__.co_filename)
        if info is not None and info.env_table and type(value) is not LuaTable:
            raise LuaError("luavm: this function was compiled for a table _ENV; load it with a "
                           "non-table env instead", level=1)
        cell.cell_contents = value

    def setupvalue(*args: Any) -> tuple:
        if len(args) < 3:
            arg_error(3, "setupvalue", "value expected")
        n = check_int(args, 2, "setupvalue")
        f = _check_func(args, 1, "setupvalue")
        up = _upvalue(f, n)
        if up is None:
            return ()
        name, cell, boxed = up
        if cell is not None:
            if boxed:
                cell.cell_contents[0] = args[2]
            else:
                _set_env(f, cell, args[2])
        return (name.encode("latin-1"),)

    def upvalueid(*args: Any) -> tuple:
        n = check_int(args, 2, "upvalueid")
        f = _check_func(args, 1, "upvalueid")
        up = _upvalue(f, n)
        if up is None:
            code = getattr(f, "__code__", None)
            nup = C_UPVALUES.get(callstack.BUILTIN_CODES.get(code, ""), 0) if code is not None else 0
            if 1 <= n <= nup:  # a C closure's upvalue (lua_upvalueid gives its address)
                cells = f.__closure__ or ()
                return (UpvalueId(cells[min(n, len(cells)) - 1] if cells else f),)
            return (None,)
        _, cell, boxed = up
        if cell is None:
            return (UpvalueId(f),)
        try:
            target = cell.cell_contents
        except ValueError:
            target = cell
        return (UpvalueId(target),)

    def upvaluejoin(*args: Any) -> tuple:
        n1 = check_int(args, 2, "upvaluejoin")
        f1 = _check_func(args, 1, "upvaluejoin")
        up1 = _upvalue(f1, n1)
        if up1 is None:
            arg_error(2, "upvaluejoin", "invalid upvalue index")
        n2 = check_int(args, 4, "upvaluejoin")
        f2 = _check_func(args, 3, "upvaluejoin")
        up2 = _upvalue(f2, n2)
        if up2 is None:
            arg_error(4, "upvaluejoin", "invalid upvalue index")
        (_, c1, boxed1), (_, c2, boxed2) = up1, up2
        if c1 is None:
            return ()
        if boxed1 and boxed2 and c2 is not None:
            c1.cell_contents = c2.cell_contents  # now both closures hold the same list
        elif boxed1:
            c1.cell_contents = [_cell_value(c2, boxed2)]
        else:
            _set_env(f1, c1, _cell_value(c2, boxed2))
        return ()

    # ------------------------------------------------------------------ traceback

    def traceback(*args: Any) -> tuple:
        co, rest, frame, off = thread_arg(args, sys._getframe(0))
        msg = rest[0] if rest else None
        if msg is not None and type(msg) is not bytes and type(msg) not in (int, float):
            return (msg,)
        level = opt_int(args, 2 + off, "traceback", 1 if co is None else 0)
        lvls = list(callstack.levels(frame))[level:] if frame is not None and level >= 0 else []
        # the main thread's bottom level is lua.c's C function; a coroutine's stack ends in Lua
        own = (co is None or frame is sys._getframe(0)) and rt.current_coroutine is None
        text = callstack.format_levels(lvls, rt, bottom=own).encode("latin-1", "replace")
        if msg is not None:
            text = rt.tostring(msg) + b"\n" + text
        return (text,)

    # ------------------------------------------------------------------ the rest

    def getregistry(*args: Any) -> tuple:
        if 2 not in registry:
            registry[2] = rt.globals
            pkg = rt.globals.get(b"package")
            if type(pkg) is LuaTable and type(pkg.get(b"loaded")) is LuaTable:
                registry[b"_LOADED"] = pkg[b"loaded"]
        return (registry,)

    def getmetatable(*args: Any) -> tuple:
        if not args:
            arg_error(1, "getmetatable", "value expected")
        return (rt.getmetatable(args[0]),)

    def setmetatable(*args: Any) -> tuple:
        v = args[0] if args else None
        mt = args[1] if len(args) > 1 else None
        if mt is not None and type(mt) is not LuaTable:
            type_error(args, 2, "setmetatable", "nil or table")
        if type(v) is LuaTable or isinstance(v, Userdata) and type(v) is not UpvalueId:
            v.meta = mt
        else:
            rt.ops.set_type_metatable(v, mt)
        return (v,)

    def getuservalue(*args: Any) -> tuple:
        opt_int(args, 2, "getuservalue", 1)
        # luavm's userdata (files) carry no user values; light userdata none either
        return (None,)

    def setuservalue(*args: Any) -> tuple:
        u = args[0] if args else None
        if not isinstance(u, Userdata) or type(u) is UpvalueId:
            got = "light userdata" if type(u) is UpvalueId else None
            if got:
                arg_error(1, "setuservalue", f"userdata expected, got {got}")
            type_error(args, 1, "setuservalue", "userdata")
        if len(args) < 2:
            arg_error(2, "setuservalue", "value expected")
        opt_int(args, 3, "setuservalue", 1)
        return (None,)

    def setcstacklimit(*args: Any) -> tuple:
        check_int(args, 1, "setcstacklimit")
        return (200,)  # deprecated in 5.4.4: changes nothing, answers LUAI_MAXCCALLS

    t = LuaTable()
    for name, f in {"setcstacklimit": setcstacklimit, "traceback": traceback, "getinfo": getinfo, "getlocal": getlocal, "setlocal": setlocal,
                    "getupvalue": getupvalue, "setupvalue": setupvalue, "upvalueid": upvalueid,
                    "upvaluejoin": upvaluejoin, "getregistry": getregistry, "getmetatable": getmetatable,
                    "setmetatable": setmetatable, "getuservalue": getuservalue, "setuservalue": setuservalue,
                    "sethook": hooks.make_sethook(rt), "gethook": hooks.make_gethook(rt),
                    "debug": hooks.make_debug(rt)}.items():
        t[name.encode()] = f
    return t
