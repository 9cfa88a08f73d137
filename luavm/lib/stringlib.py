"""The Lua 5.4 ``string`` library: the table, the byte functions, and the pattern functions
(find, match, gmatch, gsub) driving ``lpattern``; ``format`` and ``pack`` live in their own
modules.

Metering (see lpattern for the matcher's steps): plain byte work costs one instruction per 16
bytes scanned, copied or built, charged before the work (or during it, for long searches);
any result longer than 64 bytes is announced to ``rt.alloc`` with its size before it exists.
"""

from __future__ import annotations

import re
from typing import Any

from luavm.callstack import register_builtin
from luavm.errors import LuaError
from luavm.lib.args import (
    arg_error,
    check_int,
    check_str,
    opt_int,
    opt_str,
    type_error,
    typename,
)
from luavm.lib import lpattern
from luavm.lib.lpattern import MatchState, get_compiled, reading_cost, skip_to
from luavm.lib.strformat import str_format
from luavm.lib.strpack import str_pack, str_packsize, str_unpack
from luavm.luanumbers import number2str
from luavm.table import LuaTable

MAXSIZE = (1 << 31) - 1  # PUC's MAXSIZE on 64-bit hosts (INT_MAX): string.rep's limit
# PUC fails luaL_checkstack past LUAI_MAXSTACK (1e6) slots less what a shallow caller uses;
# string.byte(s, 1, -1) on a huge string fails there with "string slice too long".
MAXRESULTS = 999977
_PLAIN_WINDOW = 1 << 16  # plain find scans this many bytes per charge
PART_SIZE = 8  # gsub: what one piece of the result costs in its parts list (a pointer)
_SPECIALS_RX = re.compile(rb"[\^$*+?.(\[%-]")


def posrelat_i(pos: int, ln: int) -> int:
    """PUC's posrelatI: a relative initial position clipped to [1, inf)."""
    if pos > 0:
        return pos
    if pos == 0 or pos < -ln:
        return 1
    return ln + pos + 1


def getendpos(pos: int, ln: int) -> int:
    """PUC's getendpos: a relative end position clipped to [0, len]."""
    if pos > ln:
        return ln
    if pos >= 0:
        return pos
    if pos < -ln:
        return 0
    return ln + pos + 1


def _compile_repl(news: bytes) -> list:
    """A gsub replacement string as literals (bytes), capture numbers (int, 0 = whole match)
    and a final None where an invalid '%' stops it (an error raised only when reached)."""
    items: list = []
    i = 0
    n = len(news)
    while True:
        j = news.find(b"%", i)
        if j < 0:
            if i < n:
                items.append(news[i:])
            return items
        if j > i:
            items.append(news[i:j])
        j += 1
        c = news[j] if j < n else 0
        if c == 37:
            items.append(b"%")
        elif 48 <= c <= 57:
            items.append(c - 48)
        else:
            items.append(None)
            return items
        i = j + 1


def open_string(rt: Any) -> LuaTable:
    """Build the ``string`` table; every function is a closure over ``rt``."""
    charge = rt.charge
    alloc = rt.alloc

    def s_len(*args: Any) -> tuple:
        return (len(check_str(args, 1, "len")),)

    def s_sub(*args: Any) -> tuple:
        s = check_str(args, 1, "sub")
        ln = len(s)
        start = posrelat_i(check_int(args, 2, "sub"), ln)
        end = getendpos(opt_int(args, 3, "sub", -1), ln)
        if start > end:
            return (b"",)
        n = end - start + 1
        if n > 64:
            charge(n >> 4)
            alloc(n)
        return (s[start - 1 : end],)

    def s_byte(*args: Any) -> tuple:
        s = check_str(args, 1, "byte")
        ln = len(s)
        pi = opt_int(args, 2, "byte", 1)
        posi = posrelat_i(pi, ln)
        pose = getendpos(opt_int(args, 3, "byte", pi), ln)
        if posi > pose:
            return ()
        n = pose - posi + 1
        if n == 1:
            return (s[posi - 1],)
        if n > MAXRESULTS:
            raise LuaError("stack overflow (string slice too long)", level=1)
        if n > 64:
            charge(n >> 4)
            alloc(8 * n)
        return tuple(s[posi - 1 : pose])

    def s_char(*args: Any) -> tuple:
        n = len(args)
        if n > 64:
            charge(n >> 4)
            alloc(n)
        for v in args:
            if type(v) is not int or not 0 <= v <= 255:
                break
        else:
            return (bytes(args),)
        out = bytearray(n)
        for i in range(n):
            c = check_int(args, i + 1, "char")
            if not 0 <= c <= 255:
                arg_error(i + 1, "char", "value out of range")
            out[i] = c
        return (bytes(out),)

    def s_upper(*args: Any) -> tuple:
        s = check_str(args, 1, "upper")
        n = len(s)
        if n > 64:
            charge(n >> 4)
            alloc(n)
        return (s.upper(),)

    def s_lower(*args: Any) -> tuple:
        s = check_str(args, 1, "lower")
        n = len(s)
        if n > 64:
            charge(n >> 4)
            alloc(n)
        return (s.lower(),)

    def s_reverse(*args: Any) -> tuple:
        s = check_str(args, 1, "reverse")
        n = len(s)
        if n > 64:
            charge(n >> 4)
            alloc(n)
        return (s[::-1],)

    def s_rep(*args: Any) -> tuple:
        s = check_str(args, 1, "rep")
        n = check_int(args, 2, "rep")
        sep = opt_str(args, 3, "rep", b"")
        if n <= 0:
            return (b"",)
        ls = len(s)
        lsep = len(sep)
        if ls + lsep > MAXSIZE // n:
            raise LuaError("resulting string too large", level=1)
        total = n * ls + (n - 1) * lsep
        if total > 64:
            charge(total >> 4)
            alloc(total)
        if not lsep:
            return (s * n,)
        return ((s + sep) * (n - 1) + s,)

    def s_dump(*args: Any) -> tuple:
        if not args or typename(args[0]) != "function":
            type_error(args, 1, "dump", "function")
        from luavm.dump import dump

        strip = len(args) > 1 and args[1] is not None and args[1] is not False
        out = dump(rt, args[0], strip)
        rt.alloc_string(len(out))
        rt.charge(len(out) >> 4)
        return (out,)

    # ------------------------------------------------------------------ find / match

    def plain_find(s: bytes, p: bytes, init: int) -> int:
        """s.find(p, init), charged one instruction per 16 bytes, window by window."""
        ls = len(s)
        lp = len(p)
        if ls - init <= _PLAIN_WINDOW:
            idx = s.find(p, init)
            charge(1 + (((idx if idx >= 0 else ls) - init + lp) >> 4))
            return idx
        pos = init
        while True:
            charge(1 + ((_PLAIN_WINDOW + lp) >> 4))
            idx = s.find(p, pos, pos + _PLAIN_WINDOW + lp - 1)
            if idx >= 0:
                return idx
            pos += _PLAIN_WINDOW
            if pos > ls - lp:
                return -1

    def find_aux(args: tuple, find: bool, fname: str) -> tuple:
        nargs = len(args)
        s = args[0] if nargs else None
        if type(s) is not bytes:
            s = check_str(args, 1, fname)
        p = args[1] if nargs > 1 else None
        if type(p) is not bytes:
            p = check_str(args, 2, fname)
        ls = len(s)
        if nargs < 3 or args[2] is None:
            init = 0
        else:
            init = posrelat_i(check_int(args, 3, fname), ls) - 1
            if init > ls:
                return (None,)
        if find and (
            (len(args) >= 4 and args[3] is not None and args[3] is not False)
            or _SPECIALS_RX.search(p) is None
        ):
            idx = plain_find(s, p, init)
            if idx >= 0:
                return (idx + 1, idx + len(p))
            return (None,)
        anchor = p[:1] == b"^"
        start = 1 if anchor else 0
        charge(reading_cost(p, start))
        compiled = get_compiled(p, start)
        pre = compiled.pre if lpattern._PREFILTER else None
        if pre is not None and not (init < ls and pre[0][s[init]]):
            # the first class fails at init: no MatchState needed to know what follows
            if anchor:
                charge(pre[1])  # the one failed try, as the matcher charges it
                return (None,)
            init = skip_to(pre, s, init, charge)
            if init > ls:
                return (None,)
        ms = MatchState(rt, s, p, start, compiled)
        e = ms.fn(ms, init) if anchor else ms.search(init, -1)
        if e >= 0:
            s1 = init if anchor else ms.start
            if find:
                return (s1 + 1, e) + ms.captures(None, 0)
            return ms.captures(s1, e)
        return (None,)

    def s_find(*args: Any) -> tuple:
        return find_aux(args, True, "find")

    def s_match(*args: Any) -> tuple:
        return find_aux(args, False, "match")

    def s_gmatch(*args: Any) -> tuple:
        s = check_str(args, 1, "gmatch")
        p = check_str(args, 2, "gmatch")
        ls = len(s)
        init = posrelat_i(opt_int(args, 3, "gmatch", 1), ls) - 1
        if init > ls:
            init = ls + 1
        ms = MatchState(rt, s, p, 0)
        state = [init, -1]  # current position, end of the last match

        def gmatch_aux(*_: Any) -> tuple:
            e = ms.search(state[0], state[1])
            if e < 0:
                return ()  # as PUC: a later call searches again from the same place
            state[0] = state[1] = e
            return ms.captures(ms.start, e)

        register_builtin(gmatch_aux, "gmatch_aux")
        return (gmatch_aux,)

    # ------------------------------------------------------------------ gsub

    def s_gsub(*args: Any) -> tuple:
        src = check_str(args, 1, "gsub")
        p = check_str(args, 2, "gsub")
        srcl = len(src)
        repl = args[2] if len(args) >= 3 else None
        tr = typename(repl)
        max_s = opt_int(args, 4, "gsub", srcl + 1)
        if tr not in ("string", "number", "function", "table"):
            type_error(args, 3, "gsub", "string/function/table")
        template: list | None = None
        if tr == "number":
            repl = number2str(repl)
            tr = "string"
        if tr == "string":
            template = _compile_repl(repl)
        anchor = p[:1] == b"^"
        ms = MatchState(rt, src, p, 1 if anchor else 0)
        parts: list[bytes] = []
        size = 0  # bytes in parts (plus the pending copy being added)
        acct = 0  # bytes already charged and announced to rt.alloc
        cs = 0  # start of the unmatched subject text not yet copied to parts
        n = 0
        changed = False
        last = -1
        s = 0
        while n < max_s:
            if anchor:
                e = ms.fn(ms, s)
            else:
                e = ms.search(s, last)
                if e < 0:
                    break
                s = ms.start
            if e >= 0 and e != last:
                n += 1
                # ---- add_value: the replacement for the match s..e
                if template is not None:
                    val: Any = template
                elif tr == "table":
                    val = rt.index(repl, ms.get_capture(0, s, e))
                else:
                    r = rt.call(repl, *ms.captures(s, e))
                    val = r[0] if r else None
                if val is not None and val is not False:
                    if s > cs:
                        size += s - cs + PART_SIZE
                        if size - acct >= 1024:
                            charge((size - acct) >> 4)
                            alloc(size - acct)
                            acct = size
                        parts.append(src[cs:s])
                    if val is template:
                        for item in template:
                            if type(item) is bytes:
                                piece = item
                            elif item is None:
                                raise LuaError("invalid use of '%' in replacement string", level=1)
                            elif item == 0:
                                piece = ms.substr(s, e)
                            else:
                                piece = ms.get_capture(item - 1, s, e)
                                if type(piece) is int:
                                    piece = number2str(piece)
                            if piece:
                                # each piece also costs its pointer in the list (PART_SIZE), so
                                # many short pieces are paid for like their bytes
                                size += len(piece) + PART_SIZE
                                parts.append(piece)
                            else:
                                size += PART_SIZE  # no piece, but the work of finding it
                            if size - acct >= 4096:
                                charge((size - acct) >> 4)
                                alloc(size - acct)
                                acct = size
                    else:
                        tv = type(val)
                        if tv is int or tv is float:
                            val = number2str(val)
                        elif tv is not bytes:
                            raise LuaError(f"invalid replacement value (a {typename(val)})", level=1)
                        size += len(val) + PART_SIZE
                        parts.append(val)
                    if size - acct >= 1024:
                        charge((size - acct) >> 4)
                        alloc(size - acct)
                        acct = size
                    cs = e
                    changed = True
                # nil/false keeps the original text, which stays in the pending copy
                s = last = e
            elif s < srcl:
                s += 1
            else:
                break
            if anchor:
                break
        if not changed:
            return (src, n)
        total = size + srcl - cs
        if total > 64:
            charge((total - acct) >> 4)
            alloc(total - acct)
        if cs < srcl:
            parts.append(src[cs:])
        return (b"".join(parts), n)

    # ------------------------------------------------------------------ format / pack

    def s_format(*args: Any) -> tuple:
        return (str_format(rt, args),)

    def s_pack(*args: Any) -> tuple:
        return (str_pack(rt, args),)

    def s_packsize(*args: Any) -> tuple:
        return (str_packsize(rt, args),)

    def s_unpack(*args: Any) -> tuple:
        return str_unpack(rt, args)

    funcs = {
        "byte": s_byte,
        "char": s_char,
        "dump": s_dump,
        "find": s_find,
        "format": s_format,
        "gmatch": s_gmatch,
        "gsub": s_gsub,
        "len": s_len,
        "lower": s_lower,
        "match": s_match,
        "rep": s_rep,
        "reverse": s_reverse,
        "sub": s_sub,
        "upper": s_upper,
        "pack": s_pack,
        "packsize": s_packsize,
        "unpack": s_unpack,
    }
    t = LuaTable()
    for name, f in funcs.items():
        register_builtin(f, name)
        t[name.encode()] = f
    return t
