"""The Lua 5.4 ``utf8`` library (lutf8lib.c): char, charpattern, codepoint, codes, len, offset.

Strings are bytes; decoding follows ``utf8_decode`` exactly: sequences up to six bytes and code
points up to 2^31 - 1 are accepted, overlong forms rejected, and the strict (default) mode also
rejects surrogates and values past 10FFFF. Reading past the end of the string sees the NUL
that terminates every C string, so a truncated sequence is invalid. Metering: 1 instruction
per 16 bytes scanned or built.
"""

from __future__ import annotations

import re
from typing import Any

from luavm.callstack import register_builtin
from luavm.errors import LuaError
from luavm.lib.args import arg_error, check_int, check_str, opt_int
from luavm.meter import STRING_OVERHEAD, VALUE_SIZE
from luavm.table import LuaTable

MAXUNICODE = 0x10FFFF
MAXUTF = 0x7FFFFFFF
MAXRESULTS = 999977  # as string.byte: PUC's luaL_checkstack limit
BYTES_PER_INSTRUCTION = 16
# codepoint, len and offset decode character by character in Python: 1 instruction per 2 bytes
DECODE_BYTES_PER_INSTRUCTION = 2
CHARPATTERN = b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*"
_LIMITS = (0xFFFFFFFF, 0x80, 0x800, 0x10000, 0x200000, 0x4000000)
MSG_INVALID = "invalid UTF-8 code"
_CONTINUATIONS = re.compile(rb"[\x80-\xbf]*")


def _byte(s: bytes, i: int) -> int:
    return s[i] if i < len(s) else 0


def iscont(s: bytes, i: int) -> bool:
    return (_byte(s, i) & 0xC0) == 0x80


def decode(s: bytes, i: int, strict: bool) -> tuple[int, int] | None:
    """utf8_decode at byte offset ``i``: (code point, offset after it) or None if invalid."""
    c = _byte(s, i)
    if c < 0x80:
        res = c
    else:
        count = 0
        res = 0
        while c & 0x40:
            count += 1
            cc = _byte(s, i + count)
            if (cc & 0xC0) != 0x80:
                return None
            res = ((res << 6) | (cc & 0x3F)) & 0xFFFFFFFF
            c <<= 1
        res |= ((c & 0x7F) << (count * 5)) & 0xFFFFFFFF
        if count > 5 or res > MAXUTF or res < _LIMITS[count]:
            return None
        i += count
    if strict and (res > MAXUNICODE or 0xD800 <= res <= 0xDFFF):
        return None
    return res, i + 1


def encode(x: int) -> bytes:
    """luaO_utf8esc: the (extended, up to 6 bytes) UTF-8 form of ``x`` <= 0x7FFFFFFF."""
    if x < 0x80:
        return bytes((x,))
    out = []
    mfb = 0x3F
    while True:
        out.append(0x80 | (x & 0x3F))
        x >>= 6
        mfb >>= 1
        if x <= mfb:
            break
    out.append(((~mfb << 1) | x) & 0xFF)
    return bytes(reversed(out))


def u_posrelat(pos: int, ln: int) -> int:
    if pos >= 0:
        return pos
    if -pos > ln:
        return 0
    return ln + pos + 1


def open_utf8(rt: Any) -> LuaTable:
    """Build the ``utf8`` library table for runtime ``rt``."""

    def u_char(*args: Any) -> tuple:
        parts = []
        for i in range(1, len(args) + 1):
            code = check_int(args, i, "char")
            if (code & 0xFFFFFFFFFFFFFFFF) > MAXUTF:
                arg_error(i, "char", "value out of range")
            parts.append(encode(code))
        n = sum(len(p) for p in parts)
        rt.charge(n // BYTES_PER_INSTRUCTION)
        rt.alloc(STRING_OVERHEAD + n)
        return (b"".join(parts),)

    def u_codepoint(*args: Any) -> tuple:
        s = check_str(args, 1, "codepoint")
        ln = len(s)
        posi = u_posrelat(opt_int(args, 2, "codepoint", 1), ln)
        pose = u_posrelat(opt_int(args, 3, "codepoint", posi), ln)
        lax = len(args) > 3 and args[3] is not None and args[3] is not False
        if posi < 1:
            arg_error(2, "codepoint", "out of bounds")
        if pose > ln:
            arg_error(3, "codepoint", "out of bounds")
        if posi > pose:
            return ()
        if pose - posi >= (1 << 31) - 1:
            raise LuaError("string slice too long", level=1)
        if pose - posi + 1 > MAXRESULTS:
            raise LuaError("stack overflow (string slice too long)", level=1)
        rt.charge((pose - posi + 1) // DECODE_BYTES_PER_INSTRUCTION)
        out = []
        i = posi - 1
        while i < pose:
            r = decode(s, i, not lax)
            if r is None:
                raise LuaError(MSG_INVALID, level=1)
            out.append(r[0])
            i = r[1]
        rt.alloc(VALUE_SIZE * len(out))
        return tuple(out)

    def u_len(*args: Any) -> tuple:
        s = check_str(args, 1, "len")
        ln = len(s)
        posi = u_posrelat(opt_int(args, 2, "len", 1), ln)
        posj = u_posrelat(opt_int(args, 3, "len", -1), ln)
        lax = len(args) > 3 and args[3] is not None and args[3] is not False
        if not (1 <= posi and posi - 1 <= ln):
            arg_error(2, "len", "initial position out of bounds")
        posi -= 1
        posj -= 1
        if not posj < ln:
            arg_error(3, "len", "final position out of bounds")
        if posj >= posi:
            rt.charge((posj - posi + 1) // DECODE_BYTES_PER_INSTRUCTION)
        n = 0
        if posj >= posi and s.isascii():  # every byte is one character
            return (posj - posi + 1,)
        while posi <= posj:
            r = decode(s, posi, not lax)
            if r is None:
                return (None, posi + 1)
            posi = r[1]
            n += 1
        return (n,)

    def u_offset(*args: Any) -> tuple:
        s = check_str(args, 1, "offset")
        ln = len(s)
        n = check_int(args, 2, "offset")
        posi = 1 if n >= 0 else ln + 1
        posi = u_posrelat(opt_int(args, 3, "offset", posi), ln)
        if not (1 <= posi and posi - 1 <= ln):
            arg_error(3, "offset", "position out of bounds")
        posi -= 1
        start = posi
        if n == 0:
            while posi > 0 and iscont(s, posi):
                posi -= 1
        else:
            if iscont(s, posi):
                raise LuaError("initial position is a continuation byte", level=1)
            if n < 0:
                while n < 0 and posi > 0:
                    posi -= 1
                    while posi > 0 and iscont(s, posi):
                        posi -= 1
                    n += 1
            else:
                n -= 1
                while n > 0 and posi < ln:
                    posi += 1
                    while iscont(s, posi):
                        posi += 1
                    n -= 1
        rt.charge(abs(posi - start) // DECODE_BYTES_PER_INSTRUCTION)
        if n == 0:
            return (posi + 1,)
        return (None,)

    def _iter(strict: bool) -> Any:
        def iter_aux(*args: Any) -> tuple:
            s = check_str(args, 1, "for iterator")
            ln = len(s)
            v = args[1] if len(args) > 1 else None
            n = v if type(v) is int else 0
            if type(v) is float and v.is_integer():
                n = int(v)
            n &= 0xFFFFFFFFFFFFFFFF  # lua_Unsigned: a negative control value ends the loop
            if n < ln and iscont(s, n):
                # skip continuation bytes at C speed, and pay for them: called directly with a
                # fixed control value, each call may rescan a long run
                skip = _CONTINUATIONS.match(s, n).end()
                rt.charge((skip - n) // BYTES_PER_INSTRUCTION)
                n = skip
            if n >= ln:
                return ()
            r = decode(s, n, strict)
            if r is None:  # (5.4.4 silently skips stray continuation bytes after a character)
                raise LuaError(MSG_INVALID, level=1)
            return (n + 1, r[0])
        return iter_aux

    iter_strict, iter_lax = _iter(True), _iter(False)
    register_builtin(iter_strict, "for iterator")  # a level of its own for error positions

    def u_codes(*args: Any) -> tuple:
        lax = len(args) > 1 and args[1] is not None and args[1] is not False
        s = check_str(args, 1, "codes")  # 5.4.4 checks no leading continuation byte here
        return (iter_lax if lax else iter_strict, s, 0)

    lib = LuaTable()
    for name, fn in (("offset", u_offset), ("codepoint", u_codepoint), ("char", u_char),
                     ("len", u_len), ("codes", u_codes)):
        lib[name.encode()] = fn
    lib[b"charpattern"] = CHARPATTERN
    return lib
