"""Tests for luavm.lib.lpattern: PUC's matcher semantics, its limits, and step metering."""

from __future__ import annotations

import importlib.util
import pathlib
import random
import sys

import pytest

from luavm.errors import LuaError
from luavm.lib import lpattern
from luavm.lib.lpattern import MatchState

_spec = importlib.util.spec_from_file_location("_strharness", pathlib.Path(__file__).with_name("test_stringlib.py"))
H = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(H)  # the shared fake runtime and lua5.4 differential harness


def find(s: bytes, p: bytes, rt: H.FakeRT | None = None) -> tuple:
    """string.find through the matcher alone (no plain fast path)."""
    rt = rt or H.FakeRT()
    anchor = p[:1] == b"^"
    ms = MatchState(rt, s, p, 1 if anchor else 0)
    s1 = 0
    while True:
        if not anchor:
            s1 = ms.skip(s1)
            if s1 > len(s):
                return (None,)
        e = ms.match(s1)
        if e >= 0:
            return (s1 + 1, e) + ms.captures(None, 0)
        s1 += 1
        if anchor or s1 > len(s):
            return (None,)


def err(s: bytes, p: bytes) -> str:
    with pytest.raises(LuaError) as ei:
        find(s, p)
    return ei.value.value.decode()


def test_classes_are_c_locale() -> None:
    for cls, members in [
        (b"%a", b"azAZ"), (b"%d", b"09"), (b"%l", b"az"), (b"%u", b"AZ"), (b"%s", b" \t\n\v\f\r"),
        (b"%w", b"a0Z"), (b"%x", b"09afAF"), (b"%p", b"!/:@[`{~"), (b"%c", b"\x00\x1f\x7f"),
        (b"%g", b"!~a0"), (b"%z", b"\x00"),
    ]:
        for c in members:
            assert find(bytes([c]), cls)[0] == 1, (cls, c)
            assert find(bytes([c]), cls.upper())[0] is None, (cls, c)
    for c in (0xE9, 0x80, 0xFF):  # no locale: high bytes are in no class
        for cls in (b"%a", b"%w", b"%p", b"%g", b"%s", b"%c", b"%l", b"%u", b"%x"):
            assert find(bytes([c]), cls)[0] is None
    assert find(b" ", b"%g")[0] is None
    assert find(b"q", b"%q") == (1, 1)  # not a class letter: the letter itself


def test_sets() -> None:
    assert find(b"b", b"[a-c]") == (1, 1)
    assert find(b"-", b"[a-]") == (1, 1)
    assert find(b"]", b"[]]") == (1, 1)
    assert find(b"x", b"[^]]") == (1, 1)
    assert find(b"]", b"[^]]") == (None,)
    assert find(b"5", b"[%a%d]") == (1, 1)
    assert find(b"%", b"[%%]") == (1, 1)
    assert find(b"]", b"[a-%%]") == (1, 1)  # PUC quirk: a range ending in '%', then '%]'
    assert find(b"^", b"[a^]") == (1, 1)


def test_captures_anchors_balance_frontier_backrefs() -> None:
    assert find(b"hello", b"(h)(e)") == (1, 2, b"h", b"e")
    assert find(b"hello", b"()ll()") == (3, 4, 3, 5)
    assert find(b"hello", b"^h") == (1, 1)
    assert find(b"hello", b"^e") == (None,)
    assert find(b"hello", b"o$") == (5, 5)
    assert find(b"a$b", b"$b") == (2, 3)  # '$' not at the end is a literal
    assert find(b"x(a(b)c)y", b"%b()") == (2, 8)
    assert find(b"x(a(b", b"%b()") == (None,)
    assert find(b"THE (quick) fox", b"%f[%a]%a+", ) == (1, 3)
    assert find(b"hello", b"%f[%z]") == (6, 5)  # the end of the subject reads as '\0'
    assert find(b"abcabc", b"(abc)%1") == (1, 6, b"abc")
    assert find(b"xx", b"()%1") == (None,)  # a position capture never matches as a back-reference
    assert find(b"aaa", b"a-b") == (None,)
    assert find(b"aaab", b"a-b") == (1, 4)
    assert find(b"ab", b"a?b") == (1, 2)


def test_errors_raise_only_when_reached() -> None:
    assert find(b"abc", b"x[") == (None,)
    assert err(b"abc", b"a[") == "malformed pattern (missing ']')"
    assert err(b"abc", b"%") == "malformed pattern (ends with '%')"
    assert err(b"abc", b"%b") == "malformed pattern (missing arguments to '%b')"
    assert err(b"abc", b"%f") == "missing '[' after '%f' in pattern"
    assert err(b"abc", b"%1") == "invalid capture index %1"
    assert err(b"abc", b"%0") == "invalid capture index %0"
    assert err(b"abc", b"a)") == "invalid pattern capture"
    assert err(b"abc", b"(a") == "unfinished capture"
    assert err(b"a" * 40, b"(" * 33) == "too many captures"


def test_depth_limit_is_puc_and_never_python_recursion() -> None:
    # 199 nested calls are fine, the 201st call of match() is "too complex", as in PUC
    assert find(b"a" * 198, b"a?" * 198 + b"$")[:2] == (1, 198)
    assert find(b"a" * 199, b"a?" * 199)[:2] == (1, 199)
    assert err(b"a" * 200, b"a?" * 200) == "pattern too complex"

    def deep(n: int) -> tuple:  # leave almost no Python stack to the matcher
        if n:
            return deep(n - 1)
        return find(b"a" * 300, b"a?" * 250)

    with pytest.raises(LuaError, match="pattern too complex"):
        deep(sys.getrecursionlimit() - 60)


def test_steps_are_exact_for_a_simple_case() -> None:
    rt = H.FakeRT()
    ms = MatchState(rt, b"aab", b"a*b", 0)
    assert rt.steps == 1  # reading the pattern
    assert ms.match(0) == 3
    # enter(1) + 'a*'(1) + scan a,a,b(3) + enter after expansion(1) + 'b'(1) + end(1)
    assert rt.steps == 1 + 8


def with_and_without_shortcuts(s: bytes, p: bytes) -> list:
    """find(s, p) (or its error) and its steps, with the matcher's skipping shortcuts on and off."""
    results = []
    for pre in (True, False):
        lpattern._PREFILTER = pre
        rt = H.FakeRT()
        try:
            try:
                outcome = find(s, p, rt)
            except LuaError as e:
                outcome = str(e)
            results.append((outcome, rt.steps))
        finally:
            lpattern._PREFILTER = True
    return results


@pytest.mark.parametrize("seed, alphabet, pats", [
    # the prefilter: start positions where the first class fails are skipped at their cost
    (7, b"ab x1yz\0", [b"%d+", b"(%d+)", b"(()x)", b"[xy]z", b"((a))b", b"q", b"%s*x", b"[^\0-\255]",
                       b"x+y"]),
    # a repetition backtracking into a rest that must start with a class skips the retries
    # where the class fails
    (11, b"ab_x1z=) .", [b"(%a+)_(%d+)", b"(%w+)%s*=%s*([%w_]+)", b"a+(b)", b"x*()y", b"[ab]+%)",
                         b"(a+))b", b"^(a*)(b+)", b"(a+)(())b", b"((a+))x", b"a*" * 3 + b"b",
                         b"(%d+)%.(%d+)$", b"(" * 32 + b"a+)b", b"[xa]*(z)", b"a+%1", b"(a*)(%1)b"]),
], ids=["prefilter", "backtracking"])
def test_shortcuts_charge_exactly_like_running_every_try(seed: int, alphabet: bytes, pats: list) -> None:
    """Results, errors and steps are those of the matcher trying every position and retry."""
    rng = random.Random(seed)
    for _ in range(150):
        s = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for p in pats:
            with_shortcuts, without = with_and_without_shortcuts(s, p)
            assert with_shortcuts == without, (s, p)


def test_anchored_search_that_fails_at_once_charges_like_the_matcher() -> None:
    from luavm import LuaRuntime

    counts = []
    for pre in (True, False):
        lpattern._PREFILTER = pre
        try:
            rt = LuaRuntime(sandbox=True)
            rt.execute("""local n = 0
                for _, b in ipairs({"SSH-2.0-x", "HTTP/1.1 200", "", "220 ftp"}) do
                  for _, p in ipairs({"^ssh%-([%d.]+)", "^(HTTP)/", "^(()2)", "^%d+ ", "^x?"}) do
                    if string.match(b, p) then n = n + 1 end
                    if string.find(b:lower(), p, 2) then n = n + 1 end
                  end
                end
                return n""", "=a")
            counts.append(rt.stats.instructions)
        finally:
            lpattern._PREFILTER = True
    assert counts[0] == counts[1]


def test_matcher_charges_as_it_runs() -> None:
    rt = H.FakeRT(limit=100_000)
    with pytest.raises(H.MeterExceeded):  # 2^60 steps without a meter
        find(b"a" * 60, b"a?" * 60 + b"a" * 60 + b"x", rt)
    assert rt.steps <= 100_000 + lpattern._BATCH * 2
    rt = H.FakeRT(limit=50_000)
    with pytest.raises(H.MeterExceeded):
        find(b"a" * 5000, b"(.-)(.-)x", rt)
    assert rt.steps <= 50_000 + lpattern._BATCH * 2
    rt = H.FakeRT(limit=10_000)
    with pytest.raises(H.MeterExceeded):  # one long %b scan is charged while it runs
        find(b"(" * 1_000_000, b"%b()", rt)
    rt = H.FakeRT(limit=10_000)
    with pytest.raises(H.MeterExceeded):  # one long class run is charged while it runs
        find(b"a" * 1_000_000, b"a*b", rt)


def test_big_captures_are_accounted() -> None:
    rt = H.FakeRT()
    r = find(b"x" * 1000, b"(x*)", rt)
    assert r[2] == b"x" * 1000 and 1000 in rt.allocs


@H.needs_lua
def test_differential_long_subjects() -> None:
    rng = random.Random(99)
    cases = []
    for _ in range(300):
        s = bytes(rng.choice(b"ab(), .1") for _ in range(rng.randint(50, 300)))
        p = rng.choice([b"%b()", b"(a+)(b*)", b"a.-b", b"(%d)", b"%f[%w]%w+", b"(.)%1", b"[ab]+$",
                        b"^(.-),", b"()%.()", b"(a*(.)%w(%s*))", b"[^%s,]+"])
        cases.append(("find", (s, p, rng.choice([None, 1, -40, 17]))))
        cases.append(("GM", (s, p)))
        cases.append(("gsub", (s, p, b"<%0>", rng.choice([None, 3]))))
    H.assert_no_mismatch(H.differential(cases))
