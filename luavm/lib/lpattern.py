"""Lua 5.4 patterns: PUC lstrlib.c's backtracking matcher, run iteratively under the meter.

The search order, the capture bookkeeping, the error messages and the moment each error is
raised are PUC's (``match``/``max_expand``/``min_expand``/``start_capture``...), but PUC's C
recursion is replaced by an explicit stack of pending choice points, so a pattern can never
exhaust Python's stack. PUC's depth limit (MAXCCALLS, 200 nested ``match`` calls) is kept with
its message "pattern too complex": every pending choice point is one active ``match`` call.

Patterns are compiled once (and cached) into a list of items; a malformed part becomes an
error item that raises only when the matcher reaches it, as PUC does (``("abc"):find("x[")``
is nil, not an error). Single-character classes become 256-entry membership tables.

Metering: one instruction per matcher step, where a step is (a) entering ``match`` at a subject
position (the first try and every backtrack retry), (b) examining one pattern item, (c) each
extra byte tested while expanding a repetition, (d) each byte scanned by ``%b``; a
back-reference compare costs one step per 16 bytes. Steps are charged in batches of at most
``_BATCH`` while the search runs, so a catastrophic pattern is stopped by the meter.

Shortcuts skip work whose steps are known in advance and charge exactly those steps: start
positions where the pattern's first class fails (the prefilter, also an anchored search that
fails at once), and backtracking retries of a repetition whose rest must start with a class
that fails at the retried byte. Tests run every pattern with and without them.

A pattern used often enough runs as Python code generated for it (patterncode.py), which takes
the same steps and makes the same charges; this module stays the reference and runs the rest.
"""

from __future__ import annotations

from typing import Any, Callable

from luavm.errors import LuaError

MAXCCALLS = 200
MAXCAPTURES = 32
CAP_UNFINISHED = -1
CAP_POSITION = -2
_BATCH = 256  # charge at least this often (steps)

_ESC = ord("%")

# item kinds
K_SINGLE, K_OPEN, K_POS, K_CLOSE, K_EOS, K_BAL, K_FRONT, K_BREF, K_ERR, K_END = range(10)
# repetition suffixes of a single-character class
S_NONE, S_OPT, S_STAR, S_PLUS, S_MIN = range(5)
_SUFFIX = {ord("?"): S_OPT, ord("*"): S_STAR, ord("+"): S_PLUS, ord("-"): S_MIN}
# pending choice points
F_MAX, F_MIN, F_OPT, F_START, F_END = range(5)
_F_START_FRAME = (F_START,)


# ------------------------------------------------------------------ character classes (C locale)


def _table(pred: Callable[[int], bool]) -> bytes:
    return bytes(1 if pred(c) else 0 for c in range(256))


def _isalpha(c: int) -> bool:
    return 65 <= c <= 90 or 97 <= c <= 122


def _isdigit(c: int) -> bool:
    return 48 <= c <= 57


_CLASS_PREDS: dict[str, Callable[[int], bool]] = {
    "a": _isalpha,
    "c": lambda c: c < 32 or c == 127,
    "d": _isdigit,
    "g": lambda c: 33 <= c <= 126,
    "l": lambda c: 97 <= c <= 122,
    "p": lambda c: 33 <= c <= 126 and not (_isalpha(c) or _isdigit(c)),
    "s": lambda c: 9 <= c <= 13 or c == 32,
    "u": lambda c: 65 <= c <= 90,
    "w": lambda c: _isalpha(c) or _isdigit(c),
    "x": lambda c: _isdigit(c) or 97 <= c <= 102 or 65 <= c <= 70,
    "z": lambda c: c == 0,
}
_NONE = bytes(256)
_LITERAL = [_NONE[:k] + b"\x01" + _NONE[k + 1 :] for k in range(256)]  # (built by slicing: import time)
ANY = b"\x01" * 256
_CLASS: list[bytes] = list(_LITERAL)  # %x for an x that is not a class letter matches x itself
# the same classes as 256-bit masks (bit c set when byte c is a member), for building sets
_CLASS_MASK = [1 << k for k in range(256)]
for _letter, _pred in _CLASS_PREDS.items():
    _t = _table(_pred)
    for _k, _tk in ((ord(_letter), _t), (ord(_letter.upper()), bytes(1 - b for b in _t))):
        _CLASS[_k] = _tk
        _CLASS_MASK[_k] = sum(1 << c for c in range(256) if _tk[c])
_FULL = (1 << 256) - 1
_EXPAND = [bytes((b >> i) & 1 for i in range(8)) for b in range(256)]  # mask byte -> 8 table bytes
_SET_CACHE: dict[bytes, bytes] = {}


def _set_table(p: bytes, i: int, ec: int) -> bytes:
    """PUC's matchbracketclass for every byte at once: ``p[i]`` is '[' and ``p[ec]`` its ']'."""
    key = p[i : ec + 1]
    tbl = _SET_CACHE.get(key)
    if tbl is not None:
        return tbl
    mask = 0
    sig = True
    if p[i + 1] == 94:  # '^'
        sig = False
        i += 1
    i += 1
    while i < ec:
        c = p[i]
        if c == _ESC:
            i += 1
            mask |= _CLASS_MASK[p[i]]
        elif p[i + 1] == 45 and i + 2 < ec:  # range 'x-y'
            hi = p[i + 2]
            if c <= hi:
                mask |= ((1 << (hi + 1)) - 1) ^ ((1 << c) - 1)
            i += 2
        else:
            mask |= 1 << c
        i += 1
    if not sig:
        mask ^= _FULL
    tbl = b"".join([_EXPAND[b] for b in mask.to_bytes(32, "little")])
    if len(_SET_CACHE) > 2048:
        _SET_CACHE.clear()
    _SET_CACHE[key] = tbl
    return tbl


# ------------------------------------------------------------------ compiling


class _Malformed(Exception):
    """Internal: carries a malformed-pattern message to the compiler (never escapes)."""


def _classend(p: bytes, i: int, n: int) -> int:
    """PUC's classend: the index just past the single-character class starting at ``p[i]``."""
    c = p[i]
    i += 1
    if c == _ESC:
        if i >= n:
            raise _Malformed("malformed pattern (ends with '%')")
        return i + 1
    if c == 91:  # '['
        if i < n and p[i] == 94:
            i += 1
        while True:  # look for a ']'
            if i >= n:
                raise _Malformed("malformed pattern (missing ']')")
            c = p[i]
            i += 1
            if c == _ESC and i < n:
                i += 1  # skip escapes (e.g. '%]')
            if i < n and p[i] == 93:
                break
        return i + 1
    return i


def _single_table(p: bytes, i: int, ep: int) -> bytes:
    c = p[i]
    if c == 46:  # '.'
        return ANY
    if c == _ESC:
        return _CLASS[p[i + 1]]
    if c == 91:
        return _set_table(p, i, ep - 1)
    return _LITERAL[c]


def compile_pattern(p: bytes, i: int) -> tuple:
    """The items of pattern ``p`` from index ``i`` (after a stripped '^'), ending with K_END."""
    items: list[tuple] = []
    n = len(p)
    try:
        while i < n:
            c = p[i]
            if c == 40:  # '('
                if i + 1 < n and p[i + 1] == 41:
                    items.append((K_POS,))
                    i += 2
                else:
                    items.append((K_OPEN,))
                    i += 1
                continue
            if c == 41:  # ')'
                items.append((K_CLOSE,))
                i += 1
                continue
            if c == 36 and i + 1 == n:  # '$' as the last char
                items.append((K_EOS,))
                i += 1
                continue
            if c == _ESC and i + 1 < n:
                d = p[i + 1]
                if d == 98:  # 'b'
                    if i + 2 >= n - 1:
                        raise _Malformed("malformed pattern (missing arguments to '%b')")
                    items.append((K_BAL, p[i + 2], p[i + 3]))
                    i += 4
                    continue
                if d == 102:  # 'f'
                    i += 2
                    if i >= n or p[i] != 91:
                        raise _Malformed("missing '[' after '%f' in pattern")
                    ep = _classend(p, i, n)
                    items.append((K_FRONT, _set_table(p, i, ep - 1)))
                    i = ep
                    continue
                if 48 <= d <= 57:
                    items.append((K_BREF, d - 49))
                    i += 2
                    continue
            ep = _classend(p, i, n)
            tbl = _single_table(p, i, ep)
            suffix = _SUFFIX.get(p[ep], S_NONE) if ep < n else S_NONE
            items.append((K_SINGLE, tbl, suffix))
            i = ep + 1 if suffix else ep
    except _Malformed as e:
        items.append((K_ERR, str(e)))
        return tuple(items)
    items.append((K_END,))
    return tuple(items)


class CompiledPattern:
    """A pattern compiled once: its items, its shortcuts, its capture slots, and once it is
    hot (see patterncode) its generated matcher."""

    __slots__ = ("items", "pre", "ncap", "rest", "countdown", "generated")

    def __init__(self, items: tuple):
        self.items = items
        self.pre = _prefilter(items)
        # capture slots: a match never holds more captures than the pattern opens (and 32 at most)
        self.ncap = min(MAXCAPTURES, sum(1 for it in items if it[0] == K_OPEN or it[0] == K_POS))
        self.rest = _rest_filters(items)
        self.countdown = patterncode.hot_after(items)  # interpreted calls left; -1: never generated
        self.generated: Callable[[Any, int], int] | None = None

    def heat(self) -> Callable[[Any, int], int] | None:
        """Count one interpreted match call; the generated matcher once there were enough."""
        global _generated
        n = self.countdown
        if n > 0:
            self.countdown = n - 1
            return None
        if n == 0:
            self.countdown = -1
            if _generated < MAX_GENERATED:  # bounded: each holds a code object of some KB
                _generated += 1
                self.generated = patterncode.generate(self.items, self.rest)
        return self.generated


_CACHE: dict[tuple[bytes, int], CompiledPattern] = {}
MAX_GENERATED = 128  # generated matchers alive in _CACHE at once
_generated = 0
_NO_CAPTURES: list[int] = []


def reading_cost(pat: bytes, start: int) -> int:
    """What reading (compiling) a pattern costs, charged on every use."""
    return 1 + ((len(pat) - start) >> 2)


def get_compiled(p: bytes, start: int) -> CompiledPattern:
    """The compiled form of ``p`` from ``start``, cached."""
    global _generated
    key = (p, start)
    hit = _CACHE.get(key)
    if hit is None:
        hit = CompiledPattern(compile_pattern(p, start))
        if len(p) <= 1024:  # huge patterns are compiled per use (and charged for it)
            if len(_CACHE) > 512:
                _CACHE.clear()
                _generated = 0
            _CACHE[key] = hit
        else:
            hit.countdown = -1
    return hit


def _prefilter(items: tuple) -> tuple[Any, int] | None:
    """For patterns that must consume one byte of a class first (optionally after up to two
    opening captures): that class's table, and the exact number of steps the matcher spends
    failing at a position where the class does not match."""
    k = 0
    while k < 2 and items[k][0] in (K_OPEN, K_POS):
        k += 1
    it = items[k]
    if it[0] != K_SINGLE or it[2] not in (S_NONE, S_PLUS) or it[1] is ANY:
        return None
    return it[1], 2 + 2 * k


def _rest_filters(items: tuple) -> list:
    """Per item index j: when the rest of the pattern from j must first consume one byte of a
    class, after captures that open or close without error, (that class's table, the exact
    steps a retry of the rest spends failing where the class does not match, the frames it
    pushes first); else None. A repetition backtracking into such a rest skips, at that cost,
    the retries that cannot succeed, instead of running each one."""
    out: list = [None] * len(items)
    level = 0  # captures opened before index j (the level the matcher has there)
    unfinished = 0  # of those, captures not yet closed
    for j, it in enumerate(items):
        k = j
        lv, un = level, unfinished
        while items[k][0] in (K_OPEN, K_POS, K_CLOSE):
            kind = items[k][0]
            if kind == K_CLOSE:
                if un <= 0:
                    break  # "invalid pattern capture": the retry must run and raise it
                un -= 1
            else:
                if lv >= MAXCAPTURES:
                    break  # "too many captures"
                lv += 1
                un += kind == K_OPEN
            k += 1
        first = items[k]
        if first[0] == K_SINGLE and first[2] in (S_NONE, S_PLUS) and first[1] is not ANY:
            out[j] = (first[1], 2 + 2 * (k - j), k - j)
        if it[0] == K_CLOSE:
            unfinished -= 1
        elif it[0] in (K_OPEN, K_POS):
            level += 1
            unfinished += it[0] == K_OPEN
    return out


_PREFILTER = True  # tests switch it off to check that skipping charges exactly the same
_GENERATE = True  # tests switch it off to compare the generated matchers with the interpreter


# ------------------------------------------------------------------ the matcher


def skip_to(pre: tuple, src: bytes, s: int, charge: Callable[[int], None]) -> int:
    """MatchState.skip for a pattern's prefilter ``pre`` and s <= len(src)."""
    tbl, cost = pre
    end = len(src)
    pos = s
    while True:
        k = src[pos : pos + _BATCH].translate(tbl).find(1)
        if k >= 0:
            t = pos + k
            break
        pos += _BATCH
        if pos >= end:
            t = end + 1
            break
        charge(cost * (pos - s))
        s = pos
    if t > s:
        charge(cost * (t - s))
    return t


class MatchState:
    """One subject and one pattern, as PUC's MatchState; ``level`` counts captures."""

    __slots__ = ("src", "end", "items", "charge", "alloc", "level", "cap_init", "cap_len", "pre",
                 "rest", "compiled", "fn", "start")

    def __init__(self, rt: Any, src: bytes, pat: bytes, start: int,
                 compiled: CompiledPattern | None = None):
        """``compiled`` given: the caller has it and has charged reading the pattern."""
        charge = rt.charge
        if compiled is None:
            charge(reading_cost(pat, start))
            compiled = get_compiled(pat, start)
        self.compiled = compiled
        self.alloc = rt.alloc
        self.src = src
        self.end = len(src)
        self.items = compiled.items
        self.charge = charge
        self.level = 0
        ncap = compiled.ncap
        if ncap:
            self.cap_init = [0] * ncap
            self.cap_len = [0] * ncap
        else:  # nothing ever writes to them
            self.cap_init = self.cap_len = _NO_CAPTURES
        if _PREFILTER:
            self.pre = compiled.pre
            self.rest = compiled.rest
            generated = compiled.generated
            # the matcher, called as fn(ms, s) (a function, not a bound method: no cycle)
            self.fn = generated if generated is not None and _GENERATE else MatchState._interpret
        else:  # the interpreter with every shortcut off: what the shortcuts must equal
            self.pre = None
            self.rest = [None] * len(self.items)
            self.fn = MatchState._run

    def match(self, s: int) -> int:
        """PUC's ``match(ms, s, p)`` from the first item: the end of a match at s, or -1."""
        return self.fn(self, s)

    def search(self, s: int, last: int) -> int:
        """The end of the first match starting at or after s that does not end at ``last``
        (its start in ``self.start``), or -1: the unanchored loop of find, gmatch and gsub."""
        end = self.end
        src = self.src
        pre = self.pre
        tbl = pre[0] if pre is not None else None
        while s <= end:
            if tbl is not None and (s == end or not tbl[src[s]]):
                s = self.skip(s)
                if s > end:
                    return -1
            e = self.fn(self, s)
            if e >= 0 and e != last:
                self.start = s
                return e
            s += 1
        return -1

    def error(self, msg: str) -> None:
        raise LuaError(msg, level=1)

    def skip(self, s: int) -> int:
        """The first start position >= s where a match may begin (end+1 if none), charging
        the steps the matcher would have spent failing at the skipped positions."""
        pre = self.pre
        if pre is None or s > self.end:
            return s
        return skip_to(pre, self.src, s, self.charge)

    def _interpret(self, s: int) -> int:
        """``match`` until the pattern is hot; then its generated matcher replaces the
        interpreter for this and every later MatchState of the pattern."""
        generated = self.compiled.heat() if _GENERATE else None
        if generated is not None:
            self.fn = generated
            return generated(self, s)
        return self._run(s)

    def _run(self, s: int) -> int:
        """The interpreter: PUC's ``match`` from the first item.

        The hot loop: item kinds, suffixes and frame tags are written as their literal values
        (K_SINGLE 0 ... K_END 9, S_NONE 0 ... S_MIN 4, F_MAX 0 ... F_END 4) and the batch size
        as 256, because a constant is cheaper to load than a module global."""
        items = self.items
        src = self.src
        end = self.end
        cap_init = self.cap_init
        cap_len = self.cap_len
        charge = self.charge
        rest = self.rest
        level = 0
        steps = 0
        pi = 0
        stack: list = []
        push = stack.append
        entering = True
        while True:
            if entering:  # a new call of match()
                if len(stack) >= 200:  # MAXCCALLS
                    charge(steps)
                    self.error("pattern too complex")
                steps += 1
            res = -1
            while True:  # the body of match(); 'continue' is PUC's 'goto init'
                it = items[pi]
                k = it[0]
                steps += 1
                if steps >= 256:  # _BATCH
                    charge(steps)
                    steps = 0
                if k == 0:  # K_SINGLE
                    suffix = it[2]
                    if s < end and it[1][src[s]]:
                        if suffix == 0:  # S_NONE
                            s += 1
                            pi += 1
                            continue
                        if suffix == 2 or suffix == 3:  # S_STAR, S_PLUS
                            base = s if suffix == 2 else s + 1
                            tbl = it[1]
                            if tbl is ANY:  # '.': every byte matches
                                e = end
                                steps += end - base + 1
                            else:
                                k = src[base : base + 256].translate(tbl).find(0)
                                if k >= 0:
                                    e = base + k
                                    steps += k + 1
                                else:
                                    pos = base
                                    while True:
                                        if k >= 0:
                                            e = pos + k
                                            steps += k + 1
                                            break
                                        pos += 256
                                        if pos >= end:
                                            e = end
                                            steps += end - (pos - 256) + 1
                                            break
                                        steps += 256
                                        charge(steps)
                                        steps = 0
                                        k = src[pos : pos + 256].translate(tbl).find(0)
                            pi += 1
                            push([0, base, e - base, pi])  # F_MAX
                            s = e
                            res = -2
                            break
                        if suffix == 1:  # S_OPT
                            pi += 1
                            push((2, s, pi))  # F_OPT
                            s += 1
                            res = -2
                            break
                        # S_MIN: try the rest with no repetition first
                        push([1, s, pi])  # F_MIN
                        pi += 1
                        res = -2
                        break
                    if suffix == 0 or suffix == 3:
                        break  # fail
                    pi += 1  # '*', '?', '-' accept the empty match
                    continue
                if k == 9:  # K_END
                    res = s
                    break
                if k == 1 or k == 2:  # K_OPEN, K_POS
                    if level >= MAXCAPTURES:
                        charge(steps)
                        self.error("too many captures")
                    cap_init[level] = s
                    cap_len[level] = CAP_UNFINISHED if k == 1 else CAP_POSITION
                    level += 1
                    push(_F_START_FRAME)
                    pi += 1
                    res = -2
                    break
                if k == 3:  # K_CLOSE
                    lv = level - 1
                    while lv >= 0 and cap_len[lv] != CAP_UNFINISHED:
                        lv -= 1
                    if lv < 0:
                        charge(steps)
                        self.error("invalid pattern capture")
                    cap_len[lv] = s - cap_init[lv]
                    push((4, lv))  # F_END
                    pi += 1
                    res = -2
                    break
                if k == 4:  # K_EOS
                    if s == end:
                        res = s
                    break
                if k == 5:  # K_BAL
                    if s >= end or src[s] != it[1]:
                        break
                    b, e = it[1], it[2]
                    cont = 1
                    j = s + 1
                    last = s
                    found = False
                    while j < end:
                        c = src[j]
                        if c == e:
                            cont -= 1
                            if cont == 0:
                                found = True
                                break
                        elif c == b:
                            cont += 1
                        j += 1
                        if j - last >= 256:
                            charge(j - last)
                            last = j
                    steps += j - last
                    if not found:
                        break
                    s = j + 1
                    pi += 1
                    continue
                if k == 6:  # K_FRONT
                    tbl = it[1]
                    prev = src[s - 1] if s > 0 else 0
                    cur = src[s] if s < end else 0
                    if not tbl[prev] and tbl[cur]:
                        pi += 1
                        continue
                    break
                if k == 7:  # K_BREF
                    lv = it[1]
                    if lv < 0 or lv >= level or cap_len[lv] == CAP_UNFINISHED:
                        charge(steps)
                        self.error(f"invalid capture index %{lv + 1}")
                    ln = cap_len[lv]
                    if ln == CAP_POSITION:  # size_t(-2) never fits: fails, as in PUC
                        break
                    steps += ln >> 4
                    ci = cap_init[lv]
                    if end - s >= ln and src[s : s + ln] == src[ci : ci + ln]:
                        s += ln
                        pi += 1
                        continue
                    break
                # K_ERR
                charge(steps)
                self.error(it[1])
            if res == -2:  # call match() on the new (s, pi)
                entering = True
                continue
            if res >= 0:  # success propagates through every pending call unchanged
                if steps:
                    charge(steps)
                self.level = level
                return res
            # failure: return from calls until one has an alternative
            entering = False
            while stack:
                fr = stack[-1]
                f = fr[0]
                if f == 0:  # F_MAX
                    i = fr[2] - 1
                    if i >= 0:
                        pi = fr[3]
                        rp = rest[pi]
                        if rp is not None and len(stack) + rp[2] < 200:  # MAXCCALLS
                            # retries at bytes outside the class fail at a known cost: skip them
                            base = fr[1]
                            j = src[base : base + i + 1].translate(rp[0]).rfind(1)
                            steps += rp[1] * (i - j)
                            if steps >= 256:
                                charge(steps)
                                steps = 0
                            if j < 0:
                                stack.pop()
                                continue
                            i = j
                        fr[2] = i
                        s = fr[1] + i
                        entering = True
                        break
                elif f == 3:  # F_START
                    level -= 1
                elif f == 4:  # F_END
                    cap_len[fr[1]] = CAP_UNFINISHED
                elif f == 1:  # F_MIN
                    s = fr[1]
                    it = items[fr[2]]
                    steps += 1
                    if s < end and it[1][src[s]]:
                        s += 1
                        fr[1] = s
                        pi = fr[2] + 1
                        entering = True
                        break
                else:  # F_OPT: the same call goes on without the optional byte
                    stack.pop()
                    s = fr[1]
                    pi = fr[2]
                    break
                stack.pop()
            else:
                if steps:
                    charge(steps)
                self.level = level
                return -1

    # ------------------------------------------------------------------ captures

    def get_capture(self, i: int, s: int, e: int) -> bytes | int:
        """PUC's get_onecapture: capture i (0-based), or the whole match s..e when there are none."""
        if i >= self.level:
            if i != 0:
                self.error(f"invalid capture index %{i + 1}")
            return self.substr(s, e)
        ln = self.cap_len[i]
        if ln == CAP_UNFINISHED:
            self.error("unfinished capture")
        if ln == CAP_POSITION:
            return self.cap_init[i] + 1
        ci = self.cap_init[i]
        return self.substr(ci, ci + ln)

    def substr(self, a: int, b: int) -> bytes:
        """A copy of src[a:b], charged and accounted like any built string."""
        n = b - a
        if n > 64:
            self.charge(n >> 4)
            self.alloc(n)
        return self.src[a:b]

    def captures(self, s: int | None, e: int) -> tuple:
        """PUC's push_captures: all captures, or the whole match if none (s None: only captures)."""
        n = 1 if (self.level == 0 and s is not None) else self.level
        return tuple([self.get_capture(i, s, e) for i in range(n)])  # type: ignore[arg-type]


from luavm.lib import patterncode  # noqa: E402  (it reads this module's tables)
