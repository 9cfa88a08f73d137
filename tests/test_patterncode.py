"""Generated pattern matchers (luavm.lib.patterncode) against the interpreter they replace.

The generated code must take exactly the interpreter's steps: same results, same captures,
same errors, and the same sequence of ``charge`` calls (so a limit stops both at the same
point). The interpreter itself is checked against PUC (test_lpattern, test_stringlib)."""

from __future__ import annotations

import random

import pytest

from luavm import LuaRuntime
from luavm.errors import LuaError
from luavm.lib import lpattern, patterncode
from luavm.lib.lpattern import MatchState


class Limit(Exception):
    pass


class RecordingRT:
    """A runtime stand-in that records every charge and stops past ``limit`` steps."""

    def __init__(self, limit: int = 300_000) -> None:
        self.calls: list = []
        self.total = 0
        self.limit = limit

    def charge(self, n: int) -> None:
        self.calls.append(n)
        self.total += n
        if self.total > self.limit:
            raise Limit

    def alloc(self, n: int) -> None:
        self.calls.append(("alloc", n))


def all_matches(s: bytes, p: bytes, generated: bool, limit: int = 300_000) -> tuple | None:
    """Every match of p in s (as gmatch walks them) and the charges, through one matcher."""
    rt = RecordingRT(limit)
    anchor = p[:1] == b"^"
    out: list = []
    try:
        ms = MatchState(rt, s, p, 1 if anchor else 0)
        c = ms.compiled
        if generated:
            if c.countdown < 0:
                return None  # never generated: the interpreter runs it
            c.generated = c.generated or patterncode.generate(c.items, c.rest)
            assert c.generated is not None
            ms.fn = c.generated
        else:
            ms.fn = MatchState._run
        pos, last = 0, -1
        while pos <= len(s):
            if anchor:
                e = ms.fn(ms, pos)
                if e >= 0:
                    out.append((pos, e, ms.captures(pos, e)))
                break
            e = ms.search(pos, last)
            if e < 0:
                break
            out.append((ms.start, e, ms.captures(ms.start, e)))
            pos = last = e
    except LuaError as e:
        out.append(str(e))
    except Limit:
        out.append("limit")
    return out, rt.calls


ATOMS = [b"a", b"b", b"%d", b"%a", b".", b"[ab]", b"[^a]", b"%s", b"x", b"1", b"%w", b"\0"]
SUFFIXES = [b"", b"", b"*", b"+", b"-", b"?"]


def random_pattern(rng: random.Random) -> bytes:
    parts = [b"^"] if rng.random() < 0.2 else []
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.12:
            parts.append(b"(")
        elif r < 0.24:
            parts.append(b")")
        elif r < 0.28:
            parts.append(b"()")
        elif r < 0.31:
            parts.append(b"%f[%a]")
        else:
            parts.append(rng.choice(ATOMS) + rng.choice(SUFFIXES))
    if rng.random() < 0.2:
        parts.append(b"$")
    return b"".join(parts)


def random_subject(rng: random.Random) -> bytes:
    s = bytes(rng.choice(b"ab1 x2\0") for _ in range(rng.choice([0, 3, 10, 40, 300])))
    if rng.random() < 0.3:  # long runs: expansions past one 256-byte window
        s = rng.choice([b"a", b"1", b" ", b"ab"]) * rng.randint(100, 700) + s
    return s


@pytest.mark.parametrize("seed", range(4))
def test_generated_matchers_charge_exactly_like_the_interpreter(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for _ in range(400):
        p, s = random_pattern(rng), random_subject(rng)
        generated = all_matches(s, p, True, limit=60_000)
        if generated is None:
            continue
        checked += 1
        assert generated == all_matches(s, p, False, limit=60_000), (p, s[:80])
    assert checked > 200


@pytest.mark.parametrize("p", [b"(%w+)%s*=%s*([%w_]+)", b"(%a+)_(%d+)", b"%d+", b"item %d+",
                               b"(%d+)%.(%d+)%.(%d+)%.(%d+)$", b"^ssh%-[%d%.]+%-openssh_([%w%.]+)",
                               b"a?b?a-b*$", b"%f[%w]%w+", b"(.-)x", b"()a*()", b"(a*(.)%w(%s*))"])
def test_bench_and_plugin_patterns(p: bytes) -> None:
    rng = random.Random(p)
    for _ in range(60):
        s = random_subject(rng) + b"key1 = value_13; item 7 at 10.0.0.1 ssh-2.0-openssh_8.4"
        assert all_matches(s, p, True) == all_matches(s, p, False), s


def test_a_limit_stops_both_at_the_same_charge() -> None:
    s = b"a" * 3000
    for p in (b"a*a*a*b", b"(a-)(a-)b", b"a?" * 10 + b"b"):
        g = all_matches(s, p, True, limit=20_000)
        assert g is not None and g[0] == ["limit"]
        assert g == all_matches(s, p, False, limit=20_000)


@pytest.mark.parametrize("p", [b"%b()", b"(a)%1", b"x[", b"a" * 41, b"a*" * 13, b")", b"(" * 33])
def test_patterns_outside_the_generated_subset_stay_interpreted(p: bytes) -> None:
    assert patterncode.hot_after(lpattern.compile_pattern(p, 0)) == -1


PROGRAM = b"""
local text = string.rep("key1 = value_13; # item 7 at 10.0.0.1\\n", 40)
local n = 0
for i = 1, 200 do
  for k, v in string.gmatch(text, "(%w+)%s*=%s*([%w_]+)") do n = n + #k + #v end
  local r, c = string.gsub(text, "(%a+)_(%d+)", "%2-%1")
  n = n + c + #r + select(2, string.gsub(text, "%d+", function(d) return d .. d end))
  n = n + (string.find(text, "item %d+", i) or 0) + #(string.match(text, "(%d+)$", 1) or "")
end
print(n)
"""


def run_program(generate: bool) -> tuple[int, int, str]:
    import io

    lpattern._CACHE.clear()
    lpattern._GENERATE = generate
    out = io.BytesIO()
    rt = LuaRuntime(sandbox=True, stdout=out)
    try:
        rt.execute(PROGRAM, "=patterns")
        return rt.stats.instructions, rt.stats.memory_peak, out.getvalue().decode()
    finally:
        rt.close()
        lpattern._GENERATE = True


def test_a_program_counts_the_same_with_and_without_generated_matchers() -> None:
    with_generated = run_program(True)
    assert any(c.generated is not None for c in lpattern._CACHE.values()), "nothing got hot"
    assert with_generated == run_program(False)


def test_generated_matchers_are_bounded() -> None:
    lpattern._CACHE.clear()
    lpattern._generated = 0
    rt = RecordingRT(limit=10**12)
    for i in range(lpattern.MAX_GENERATED + 20):
        p = b"x%d+" + str(i).encode()
        c = lpattern.get_compiled(p, 0)
        c.countdown = 0
        c.heat()
        MatchState(rt, b"x12", p, 0).match(0)
    alive = sum(1 for c in lpattern._CACHE.values() if c.generated is not None)
    assert alive == lpattern.MAX_GENERATED
