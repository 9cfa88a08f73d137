"""The Lua 5.4 ``table`` library (ltablib.c): concat, insert, move, pack, remove, sort, unpack.

Every element access goes through ``lua_geti``/``lua_seti`` semantics in PUC, so ``__index``,
``__newindex`` and ``__len`` are honoured here too (``rt.index``/``rt.setindex``/``rt.length``);
a table without a metatable takes a fast path that reads and writes its dict directly (keys
are normalized ints, a nil value deletes the key).

Metering: concat 1 per element + 1 per 16 bytes built; insert/remove 1 per slot moved; move,
pack and unpack 1 per element; sort 1 per comparison (a comparator meters its own body), or
n*log2(n) paid up front when a plain table of only integers or only strings is sorted natively.
Results are announced to ``rt.alloc`` before they are built.
"""

from __future__ import annotations

from typing import Any, Callable

from luavm.errors import LuaError
from luavm.lib.args import (
    arg_error,
    check_int,
    opt_int,
    opt_str,
    type_error,
    typename,
)
from luavm.meter import SLOT_SIZE, STRING_OVERHEAD, TABLE_OVERHEAD, VALUE_SIZE
from luavm.luanumbers import MAXINT, number2str, tointeger
from luavm.table import LuaTable, rawlen

# PUC fails lua_checkstack past LUAI_MAXSTACK (1e6) slots less what the caller uses.
MAXRESULTS = 999977
INT_MAX = (1 << 31) - 1
BYTES_PER_INSTRUCTION = 16
RANLIMIT = 100  # ltablib.c: below this size sort always uses the middle element as pivot
_CHUNK = 1024  # elements charged at a time by the bulk loops
_MASK64 = (1 << 64) - 1

TAB_R, TAB_W, TAB_L = 1, 2, 4


def _checktab(rt: Any, args: tuple, n: int, fname: str, what: int) -> Any:
    """PUC's checktab: a table, or a value whose metatable has the needed metamethods."""
    v = args[n - 1] if n <= len(args) else None
    if isinstance(v, LuaTable):  # read-only library tables too: their writes fail, not this check
        return v
    mt = rt.getmetatable(v)
    if type(mt) is LuaTable and (
        (not what & TAB_R or mt.get(b"__index") is not None)
        and (not what & TAB_W or mt.get(b"__newindex") is not None)
        and (not what & TAB_L or mt.get(b"__len") is not None)
    ):
        return v
    got = "no value" if n > len(args) else _name_of(v, mt)
    arg_error(n, fname, f"table expected, got {got}")


def _name_of(v: Any, mt: Any) -> str:
    """luaL_typeerror's name: the metatable's __name if it is a string, else the type."""
    if type(mt) is LuaTable:
        name = mt.get(b"__name")
        if type(name) is bytes:
            return name.decode("latin-1")
    return typename(v)


def _len(rt: Any, t: Any) -> int:
    """luaL_len: ``#t`` honouring __len, which must give an integer."""
    if type(t) is LuaTable and t.meta is None:
        return rawlen(t)
    n = tointeger(rt.length(t))
    if n is None:
        raise LuaError("object length is not an integer", level=1)
    return n


def _plain(t: Any) -> bool:
    return type(t) is LuaTable and t.meta is None


def _setter(rt: Any, t: Any) -> Callable[[int, Any], None]:
    """A ``t[i] = v`` for integer keys (lua_seti)."""
    if _plain(t):
        def rawseti(i: int, v: Any) -> None:
            if v is None:
                t.pop(i, None)
            else:
                if i not in t:
                    rt.alloc_slot(t)
                t[i] = v
        return rawseti
    setindex = rt.setindex
    return lambda i, v: setindex(t, i, v)


def _getter(rt: Any, t: Any) -> Callable[[int], Any]:
    """A ``t[i]`` for integer keys (lua_geti)."""
    if _plain(t):
        return t.get
    index = rt.index
    return lambda i: index(t, i)


def open_table(rt: Any) -> LuaTable:
    """Build the ``table`` library table for runtime ``rt``."""

    def tconcat(*args: Any) -> tuple:
        t = _checktab(rt, args, 1, "concat", TAB_R | TAB_L)
        last = _len(rt, t)
        sep = opt_str(args, 2, "concat", b"")
        i = opt_int(args, 3, "concat", 1)
        last = opt_int(args, 4, "concat", last)
        if i > last:
            rt.alloc(STRING_OVERHEAD)
            return (b"",)
        get = _getter(rt, t)
        parts: list[bytes] = []
        lsep = len(sep)
        built = announced = 0  # bytes gathered / already charged and announced to rt.alloc
        while True:
            rt.charge(1)
            v = get(i)
            tv = type(v)
            if tv is bytes:
                s = v
            elif tv is int or tv is float:
                s = number2str(v)
            else:
                raise LuaError(f"invalid value ({typename(v)}) at index {i} in table for 'concat'", level=1)
            parts.append(s)
            built += len(s)
            if i >= last:
                break
            if lsep:
                parts.append(sep)
                built += lsep
            if built - announced >= 1 << 16:
                rt.charge(built // BYTES_PER_INSTRUCTION - announced // BYTES_PER_INSTRUCTION)
                rt.alloc(built - announced)
                announced = built
            i += 1
        rt.charge(built // BYTES_PER_INSTRUCTION - announced // BYTES_PER_INSTRUCTION)
        rt.alloc(STRING_OVERHEAD + built - announced)
        return (b"".join(parts),)

    def tinsert(*args: Any) -> tuple:
        t = _checktab(rt, args, 1, "insert", TAB_R | TAB_W | TAB_L)
        e = _len(rt, t)
        e = e + 1 if e != MAXINT else -MAXINT - 1  # luaL_intop wraps
        nargs = len(args)
        if nargs == 2:
            pos = e
        elif nargs == 3:
            pos = check_int(args, 2, "insert")
            if ((pos - 1) & _MASK64) >= (e & _MASK64):
                arg_error(2, "insert", "position out of bounds")
            moves = e - pos
            if moves > 0:
                if _plain(t):
                    _shift_up_plain(rt, t, pos, e)
                else:
                    get, put = _getter(rt, t), _setter(rt, t)
                    for i in range(e, pos, -1):
                        rt.charge(1)
                        put(i, get(i - 1))
        else:
            raise LuaError("wrong number of arguments to 'insert'", level=1)
        _setter(rt, t)(pos, args[-1])
        return ()

    def tremove(*args: Any) -> tuple:
        t = _checktab(rt, args, 1, "remove", TAB_R | TAB_W | TAB_L)
        size = _len(rt, t)
        pos = opt_int(args, 2, "remove", size)
        if pos != size and ((pos - 1) & _MASK64) > (size & _MASK64):
            arg_error(1, "remove", "position out of bounds")
        get, put = _getter(rt, t), _setter(rt, t)
        result = get(pos)
        if _plain(t) and pos < size:
            _shift_down_plain(rt, t, pos, size)
            pos = size
        while pos < size:
            rt.charge(1)
            put(pos, get(pos + 1))
            pos += 1
        put(pos, None)
        return (result,)

    def tmove(*args: Any) -> tuple:
        f = check_int(args, 2, "move")
        e = check_int(args, 3, "move")
        tpos = check_int(args, 4, "move")
        tt = 5 if len(args) >= 5 and args[4] is not None else 1
        a1 = _checktab(rt, args, 1, "move", TAB_R)
        dest = _checktab(rt, args, tt, "move", TAB_W)
        if e >= f:
            if not (f > 0 or e < MAXINT + f):
                arg_error(3, "move", "too many elements to move")
            n = e - f + 1
            if not tpos <= MAXINT - n + 1:
                arg_error(4, "move", "destination wrap around")
            get, put = _getter(rt, a1), _setter(rt, dest)
            forward = tpos > e or tpos <= f or (tt != 1 and not rt.eq(a1, dest))
            order = range(n) if forward else range(n - 1, -1, -1)
            done = 0
            for i in order:
                if done % _CHUNK == 0:
                    rt.charge(min(_CHUNK, n - done))
                done += 1
                put(tpos + i, get(f + i))
        return (dest,)

    def tpack(*args: Any) -> tuple:
        n = len(args)
        rt.charge(n)
        rt.alloc(TABLE_OVERHEAD + SLOT_SIZE * (n + 1))
        t = LuaTable()
        for i, v in enumerate(args, 1):
            if v is not None:
                t[i] = v
        t[b"n"] = n
        return (t,)

    def tunpack(*args: Any) -> tuple:
        t = args[0] if args else None
        i = opt_int(args, 2, "unpack", 1)
        e = check_int(args, 3, "unpack") if len(args) >= 3 and args[2] is not None else _len(rt, t)
        if i > e:
            return ()
        n = e - i  # number of elements minus 1
        if n >= INT_MAX or n + 1 > MAXRESULTS:
            raise LuaError("too many results to unpack", level=1)
        n += 1
        rt.charge(n)
        rt.alloc(VALUE_SIZE * n)
        if _plain(t):
            g = t.get
            return tuple([g(k) for k in range(i, e + 1)])
        index = rt.index
        return tuple([index(t, k) for k in range(i, e + 1)])

    def tsort(*args: Any) -> tuple:
        t = _checktab(rt, args, 1, "sort", TAB_R | TAB_W | TAB_L)
        n = _len(rt, t)
        if n > 1:
            if n >= INT_MAX:
                arg_error(1, "sort", "array too big")
            comp = args[1] if len(args) >= 2 else None
            if comp is not None and typename(comp) != "function":
                type_error(args, 2, "sort", "function")
            if comp is None and _plain(t) and _sort_homogeneous(rt, t, n):
                return ()
            _Sorter(rt, t, n, comp).run()
        return ()

    lib = LuaTable()
    for name, fn in (("concat", tconcat), ("insert", tinsert), ("move", tmove), ("pack", tpack),
                     ("remove", tremove), ("sort", tsort), ("unpack", tunpack)):
        lib[name.encode()] = fn
    return lib


def _shift_up_plain(rt: Any, t: LuaTable, pos: int, e: int) -> None:
    """t[pos+1..e] = t[pos..e-1] for a plain table, charging 1 per slot moved."""
    i = e
    while i > pos:
        k = min(_CHUNK, i - pos)
        rt.charge(k)
        for j in range(i, i - k, -1):
            v = t.get(j - 1)
            if v is None:
                t.pop(j, None)
            else:
                if j not in t:
                    rt.alloc_slot(t)
                t[j] = v
        i -= k


def _shift_down_plain(rt: Any, t: LuaTable, pos: int, size: int) -> None:
    """t[pos..size-1] = t[pos+1..size] for a plain table, charging 1 per slot moved."""
    i = pos
    while i < size:
        k = min(_CHUNK, size - i)
        rt.charge(k)
        for j in range(i, i + k):
            v = t.get(j + 1)
            if v is None:
                t.pop(j, None)
            else:
                if j not in t:
                    rt.alloc_slot(t)
                t[j] = v
        i += k


def _sort_homogeneous(rt: Any, t: LuaTable, n: int) -> bool:
    """Sort ``t[1..n]`` with Python's sort when all values are integers or all strings.

    Equal integers (or strings) are indistinguishable, so the result is exactly PUC's; the
    charge is a fixed n*log2(n) comparisons, paid before the table changes.
    """
    values = [t.get(i) for i in range(1, n + 1)]
    first = type(values[0])
    if first is not int and first is not bytes:
        return False
    for v in values:
        if type(v) is not first:
            return False
    rt.charge(n * n.bit_length())
    values.sort()
    for i, v in enumerate(values, 1):
        t[i] = v
    return True


class _Sorter:
    """ltablib.c's quicksort, step for step, so comparisons, swaps and the "invalid order
    function for sorting" checks happen where PUC's do (an inconsistent comparator ends in
    that error instead of looping: both scans are bounded by the checks)."""

    def __init__(self, rt: Any, t: Any, n: int, comp: Any):
        self.rt = rt
        self.n = n
        self.get = _getter(rt, t)
        self.put = _setter(rt, t)
        self.seed = 0x2545F491  # deterministic stand-in for PUC's clock()/time() pivot seed
        if comp is None:
            lt = rt.lt

            def less(a: Any, b: Any) -> bool:
                rt.charge(1)
                ta, tb = type(a), type(b)
                if (ta is int or ta is float) and (tb is int or tb is float) or (ta is bytes and tb is bytes):
                    return a < b
                return lt(a, b)
        else:
            call = rt.call

            def less(a: Any, b: Any) -> bool:
                rt.charge(1)
                r = call(comp, a, b)
                return bool(r) and r[0] is not None and r[0] is not False
        self.less = less

    def run(self) -> None:
        self.auxsort(1, self.n, 0)

    def _randomize(self) -> int:
        # PUC mixes clock() and time(); a fixed LCG keeps luavm deterministic.
        self.seed = (self.seed * 1103515245 + 12345) & 0xFFFFFFFF
        return self.seed

    def partition(self, lo: int, up: int, pivot: Any) -> int:
        get, put, less = self.get, self.put, self.less
        i, j = lo, up - 1
        while True:
            i += 1
            a = get(i)
            while less(a, pivot):
                if i == up - 1:
                    raise LuaError("invalid order function for sorting", level=1)
                i += 1
                a = get(i)
            j -= 1
            b = get(j)
            while less(pivot, b):
                if j < i:
                    raise LuaError("invalid order function for sorting", level=1)
                j -= 1
                b = get(j)
            if j < i:
                put(up - 1, a)
                put(i, pivot)
                return i
            put(i, b)
            put(j, a)

    def auxsort(self, lo: int, up: int, rnd: int) -> None:
        get, put, less = self.get, self.put, self.less
        while lo < up:
            a, b = get(lo), get(up)
            if less(b, a):
                put(lo, b)
                put(up, a)
            if up - lo == 1:
                break
            if up - lo < RANLIMIT or rnd == 0:
                p = (lo + up) // 2
            else:
                r4 = (up - lo) // 4
                p = rnd % (r4 * 2) + (lo + r4)
            a, b = get(p), get(lo)
            if less(a, b):
                put(p, b)
                put(lo, a)
            else:
                c = get(up)
                if less(c, a):
                    put(p, c)
                    put(up, a)
            if up - lo == 2:
                break
            pivot = get(p)
            put(p, get(up - 1))
            put(up - 1, pivot)
            p = self.partition(lo, up, pivot)
            if p - lo < up - p:
                self.auxsort(lo, p - 1, rnd)
                n = p - lo
                lo = p + 1
            else:
                self.auxsort(p + 1, up, rnd)
                n = up - p
                up = p - 1
            if ((up - lo) & 0xFFFFFFFF) // 128 > n:  # unsigned IdxT arithmetic, as in PUC
                rnd = self._randomize()
