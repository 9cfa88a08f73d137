"""Lua patterns compiled to Python: one generated matcher function per (hot) pattern.

``lpattern.MatchState._run`` interprets a pattern's items: every step dispatches on an item
tuple and every choice point is a frame pushed on a list. For patterns made only of
single-character classes (any suffix), captures, ``%f`` and a final ``$``, the same search can
be written out as nested Python code: a repetition becomes a ``while`` loop over its retries,
a capture becomes two stores, and the failure of the rest of the pattern falls out of the
nested blocks back to the innermost loop with an alternative. That code is the interpreter's
algorithm unrolled for one pattern, so it takes the same steps and calls ``charge`` with the
same amounts at the same moments (tests compare the charge sequences call by call), and a
limit stops it where it stops the interpreter.

Generating costs real time (a Python ``compile``) that nothing charges, because the pattern
cache is process-wide and a charge that depends on what ran earlier in the process would break
determinism. So a pattern is generated only after the interpreter has run it a number of times
proportional to its size (``hot_after``), which bounds the uncharged work per charged step; and
only patterns small enough for the nesting limits of Python's compiler (``MAX_ITEMS``,
``MAX_LOOPS``) and for the matcher's own limits (200 pending calls, 32 captures) to be out of
reach, so no check for them is needed in the generated code. At most ``lpattern.MAX_GENERATED``
(128) generated matchers are alive at once, 22 KB each at the largest: under 3 MB per process.
"""

from __future__ import annotations

from typing import Any, Callable

from luavm.lib import lpattern as lp

MAX_ITEMS = 40  # items of a generated pattern (its calls can never reach MAXCCALLS)
MAX_LOOPS = 12  # repetitions with retries ('*', '+', '-', '?'): each is a Python 'while'
_SUPPORTED = {lp.K_SINGLE, lp.K_OPEN, lp.K_POS, lp.K_CLOSE, lp.K_EOS, lp.K_FRONT, lp.K_END}


def hot_after(items: tuple) -> int:
    """Interpreted match calls before a pattern is generated, or -1 if it never is.

    Each match call charges at least two steps and generating costs about 50 us per item
    (2.2 ms for the largest): waiting for 32 calls per item keeps that below 1 us per step."""
    if len(items) > MAX_ITEMS or any(it[0] not in _SUPPORTED for it in items):
        return -1
    if sum(1 for it in items if it[0] == lp.K_SINGLE and it[2] != lp.S_NONE) > MAX_LOOPS:
        return -1
    unfinished = 0
    opened = 0
    for it in items:
        if it[0] == lp.K_OPEN:
            unfinished += 1
            opened += 1
        elif it[0] == lp.K_POS:
            opened += 1
        elif it[0] == lp.K_CLOSE:
            if unfinished == 0:
                return -1  # "invalid pattern capture" is the interpreter's to raise
            unfinished -= 1
    if opened > lp.MAXCAPTURES:
        return -1
    return 64 + 32 * len(items)


def expand_long(charge: Callable[[int], None], src: bytes, end: int, base: int, tbl: bytes,
                steps: int) -> tuple[int, int]:
    """A repetition's expansion past its first 256 bytes, as the interpreter does it: returns
    (the end of the run, the steps not yet charged)."""
    pos = base
    while True:
        pos += 256
        if pos >= end:
            return end, steps + end - (pos - 256) + 1
        steps += 256
        charge(steps)
        steps = 0
        k = src[pos : pos + 256].translate(tbl).find(0)
        if k >= 0:
            return pos + k, steps + k + 1


class _Writer:
    """Python source lines at an indentation, plus the constants they refer to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def const(self, value: Any) -> str:
        for name, v in self.consts.items():
            if v is value:
                return name
        name = f"T{len(self.consts)}"
        self.consts[name] = value
        return name


def _test(w: _Writer, tbl: bytes) -> str:
    """The Python condition 'the byte at s is in tbl' (s < end already known)."""
    members = tbl.count(1)
    if members == 256:
        return "True"
    if members == 1:
        return f"src[s] == {tbl.index(1)}"
    return f"{w.const(tbl)}[src[s]]"


def _class_at_s(w: _Writer, tbl: bytes) -> str:
    test = _test(w, tbl)
    return "s < end" if test == "True" else f"s < end and {test}"


def _item(w: _Writer, items: tuple, rest: list, j: int, d: int, level: int, open_: list) -> None:
    """Code that matches items[j:] from s inside the current call; success returns, failure
    falls through to the code after it (at depth d)."""
    it = items[j]
    k = it[0]
    w.emit(d, "steps += 1")
    w.emit(d, "if steps >= 256: charge(steps); steps = 0")
    if k == lp.K_END:
        _success(w, d, level)
        return
    if k == lp.K_EOS:
        w.emit(d, "if s == end:")
        _success(w, d + 1, level)
        return
    if k == lp.K_OPEN or k == lp.K_POS:
        w.emit(d, f"cap_init[{level}] = s")
        w.emit(d, f"cap_len[{level}] = {lp.CAP_UNFINISHED if k == lp.K_OPEN else lp.CAP_POSITION}")
        w.emit(d, "steps += 1")
        _item(w, items, rest, j + 1, d, level + 1, open_ + [level] if k == lp.K_OPEN else open_)
        return
    if k == lp.K_CLOSE:
        lv = open_[-1]
        w.emit(d, f"cap_len[{lv}] = s - cap_init[{lv}]")
        w.emit(d, "steps += 1")
        _item(w, items, rest, j + 1, d, level, open_[:-1])
        w.emit(d, f"cap_len[{lv}] = {lp.CAP_UNFINISHED}")
        return
    if k == lp.K_FRONT:
        t = w.const(it[1])
        w.emit(d, f"if not {t}[src[s - 1] if s > 0 else 0] and {t}[src[s] if s < end else 0]:")
        _item(w, items, rest, j + 1, d + 1, level, open_)
        return
    # K_SINGLE
    tbl, suffix = it[1], it[2]
    cond = _class_at_s(w, tbl)
    if suffix == lp.S_NONE:
        w.emit(d, f"if {cond}:")
        w.emit(d + 1, "s += 1")
        _item(w, items, rest, j + 1, d + 1, level, open_)
        return
    v = f"_{j}"  # this item's own variables
    if suffix == lp.S_STAR or suffix == lp.S_PLUS:
        w.emit(d, f"if {cond}:")
        w.emit(d + 1, f"b{v} = s" if suffix == lp.S_STAR else f"b{v} = s + 1")
        if tbl is lp.ANY:
            w.emit(d + 1, "e = end")
            w.emit(d + 1, f"steps += end - b{v} + 1")
        else:
            t = w.const(tbl)
            w.emit(d + 1, f"k = src[b{v} : b{v} + 256].translate({t}).find(0)")
            w.emit(d + 1, "if k >= 0:")
            w.emit(d + 2, f"e = b{v} + k")
            w.emit(d + 2, "steps += k + 1")
            w.emit(d + 1, "else:")
            w.emit(d + 2, f"e, steps = expand_long(charge, src, end, b{v}, {t}, steps)")
        w.emit(d + 1, f"n{v} = e - b{v}")
        w.emit(d + 1, "s = e")
        w.emit(d + 1, "steps += 1")
        if suffix == lp.S_STAR:  # no match: the rest runs in this call, with no retries
            w.emit(d, "else:")
            w.emit(d + 1, f"n{v} = 0")
            loop = d
        else:
            loop = d + 1
        w.emit(loop, "while True:")
        _item(w, items, rest, j + 1, loop + 1, level, open_)
        w.emit(loop + 1, f"i = n{v} - 1")
        w.emit(loop + 1, "if i < 0: break")
        rp = rest[j + 1]
        if rp is not None:  # retries where the rest's first class fails cost rp[1] each
            w.emit(loop + 1, f"jj = src[b{v} : b{v} + i + 1].translate({w.const(rp[0])}).rfind(1)")
            w.emit(loop + 1, f"steps += {rp[1]} * (i - jj)")
            w.emit(loop + 1, "if steps >= 256: charge(steps); steps = 0")
            w.emit(loop + 1, "if jj < 0: break")
            w.emit(loop + 1, "i = jj")
        w.emit(loop + 1, f"n{v} = i")
        w.emit(loop + 1, f"s = b{v} + i")
        w.emit(loop + 1, "steps += 1")
        return
    # '?' and '-': a saved position (-1: no alternative left) and a loop over the rest
    saved = f"o{v}" if suffix == lp.S_OPT else f"m{v}"
    w.emit(d, f"if {cond}:")
    w.emit(d + 1, f"{saved} = s")
    if suffix == lp.S_OPT:
        w.emit(d + 1, "s += 1")  # with the byte first, then without it in the same call
    w.emit(d + 1, "steps += 1")
    w.emit(d, "else:")
    w.emit(d + 1, f"{saved} = -1")
    w.emit(d, "while True:")
    _item(w, items, rest, j + 1, d + 1, level, open_)
    w.emit(d + 1, f"if {saved} < 0: break")
    w.emit(d + 1, f"s = {saved}")
    if suffix == lp.S_OPT:
        w.emit(d + 1, f"{saved} = -1")
        return
    # '-': the rest came first; each retry takes one more byte of the class
    w.emit(d + 1, "steps += 1")
    w.emit(d + 1, f"if {cond}:")
    w.emit(d + 2, "s += 1")
    w.emit(d + 2, f"{saved} = s")
    w.emit(d + 2, "steps += 1")
    w.emit(d + 1, "else:")
    w.emit(d + 2, "break")


def _success(w: _Writer, d: int, level: int) -> None:
    w.emit(d, "if steps: charge(steps)")
    w.emit(d, f"ms.level = {level}")
    w.emit(d, "return s")


def generate(items: tuple, rest: list) -> Callable[[Any, int], int] | None:
    """The matcher function ``f(ms, s)`` for items, same contract as MatchState._run; None
    when Python's compiler refuses the code (too deeply nested)."""
    w = _Writer()
    _item(w, items, rest, 0, 1, 0, [])
    body = [
        "def match(ms, s):",
        "    src = ms.src",
        "    end = ms.end",
        "    charge = ms.charge",
        "    cap_init = ms.cap_init",
        "    cap_len = ms.cap_len",
        "    steps = 1",
        *w.lines,
        "    if steps: charge(steps)",
        "    ms.level = 0",
        "    return -1",
    ]
    names = ", ".join(["expand_long", *w.consts])
    source = f"def make({names}):\n" + "\n".join("    " + line for line in body) + "\n    return match\n"
    namespace: dict[str, Any] = {}
    try:
        exec(compile(source, "<lua pattern>", "exec"), namespace)
    except (SyntaxError, RecursionError, MemoryError):
        return None
    return namespace["make"](expand_long, *w.consts.values())
