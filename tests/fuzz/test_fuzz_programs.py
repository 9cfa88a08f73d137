"""Random and mutated Lua programs never end in a Python exception.

Sources: fragments of the official suite's files (spliced, truncated, with tokens dropped or
inserted), token soups, deep nesting of every construct, huge numerals, names of the generated
code. Each runs under small limits (harness.py); only LuaError / LimitExceeded may come out.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_harness import fuzz_settings, run_source, suite_files

FILES = suite_files()
LINES = {name: src.split(b"\n") for name, src in FILES.items()}

# ----------------------------------------------------------------- fragments of the suite


@st.composite
def fragment(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(LINES) or [""]))
    lines = LINES.get(name, [b""])
    start = draw(st.integers(0, max(0, len(lines) - 1)))
    length = draw(st.integers(1, 80))
    return b"\n".join(lines[start:start + length])


@st.composite
def mutated_program(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(fragment(), min_size=1, max_size=3))
    src = b"\n".join(parts)
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["truncate", "drop", "insert", "swap"]))
        if not src:
            break
        i = draw(st.integers(0, len(src) - 1))
        if op == "truncate":
            src = src[:i]
        elif op == "drop":
            j = draw(st.integers(i, min(len(src), i + 20)))
            src = src[:i] + src[j:]
        elif op == "insert":
            src = src[:i] + b" " + draw(st.sampled_from(TOKENS)) + b" " + src[i:]
        else:
            j = draw(st.integers(0, len(src) - 1))
            a, b = sorted((i, j))
            src = src[:a] + src[b:] + src[a:b]
    return src


# ----------------------------------------------------------------- token soups

GENERATED_NAMES = [b"ENV", b"VA", b"LT", b"FT", b"N1", b"_n", b"_L", b"_r", b"_v", b"_e", b"_t1", b"_g0",
                   b"_gj0", b"_gb0", b"_x0", b"_cf_t1", b"_ix_1", b"lua", b"lua0", b"lua1", b"lua_1",
                   b"_mk1f0", b"_mk1_0", b"_o1r0", b"g1", b"_idx", b"_chk", b"type", b"len", b"None",
                   b"class", b"def", b"self", b"_ENV", b"x", b"y", b"print", b"string", b"t"]
TOKENS = [
    b"and", b"break", b"do", b"else", b"elseif", b"end", b"false", b"for", b"function", b"goto", b"if",
    b"in", b"local", b"nil", b"not", b"or", b"repeat", b"return", b"then", b"true", b"until", b"while",
    b"+", b"-", b"*", b"/", b"%", b"^", b"#", b"&", b"~", b"|", b"<<", b">>", b"//", b"==", b"~=", b"<=",
    b">=", b"<", b">", b"=", b"(", b")", b"{", b"}", b"[", b"]", b"::", b";", b":", b",", b".", b"..",
    b"...", b"<const>", b"<close>", b"::l::", b"goto l",
    b"0", b"1", b"-1", b"3.5", b"0x10", b"0xffffffffffffffff", b"9223372036854775807", b"9223372036854775808",
    b"1e308", b"1e309", b"0x1p-1074", b"2^63", b"0/0", b"math.huge", b"math.mininteger", b"9" * 400,
    b"'s'", b'"\\z  x"', b"'\\u{7FFFFFFF}'", b"'\\xff\\0'", b"[[long]]", b"[==[x]==]", b"'%d%s'",
    b"string.rep('x', 100000)", b"{}", b"{1, 2, 3}", b"setmetatable({}, {__index = function() return 1 end})",
    b"print", b"pcall", b"error", b"select('#', ...)", b"coroutine.wrap(function() end)",
] + GENERATED_NAMES


token_soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=60).map(b" ".join)

# A small grammar of valid-ish statements, so soups also reach the compiler and the runtime.
expr = st.recursive(
    st.sampled_from([b"x", b"y", b"1", b"2.5", b"'a'", b"nil", b"true", b"{}", b"t", b"...", b"#t",
                     b"-x", b"f", b"9" * 30, b"0x" + b"f" * 40, b"'10'", b"math.maxinteger"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([b"+", b"-", b"*", b"/", b"//", b"%", b"^", b"..", b"==", b"<",
                                          b"<=", b"and", b"or", b"&", b"|", b"~", b"<<", b">>"]), inner)
        .map(lambda p: b"(" + b" ".join(p) + b")"),
        inner.map(lambda e: b"(not " + e + b")"),
        inner.map(lambda e: b"f(" + e + b")"),
        inner.map(lambda e: b"t[" + e + b"]"),
        inner.map(lambda e: b"{" + e + b", k = " + e + b"}"),
        inner.map(lambda e: b"(function(...) return " + e + b" end)(1, 2)"),
        inner.map(lambda e: b"tostring(" + e + b")"),
    ), max_leaves=12)
stmt = st.recursive(
    st.one_of(
        st.tuples(st.sampled_from(GENERATED_NAMES[:30]), expr).map(lambda p: b"local " + p[0] + b" = " + p[1]),
        expr.map(lambda e: b"x = " + e), expr.map(lambda e: b"t[1] = " + e), expr.map(lambda e: b"f(" + e + b")"),
        st.just(b"break"), st.just(b"goto l"), st.just(b"::l::"), expr.map(lambda e: b"return " + e),
    ),
    lambda inner: st.one_of(
        st.tuples(expr, st.lists(inner, max_size=3)).map(lambda p: b"if " + p[0] + b" then " + b"\n".join(p[1]) + b" end"),
        st.lists(inner, max_size=3).map(lambda b_: b"for i = 1, 3 do " + b"\n".join(b_) + b" end"),
        st.lists(inner, max_size=3).map(lambda b_: b"while x do " + b"\n".join(b_) + b" end"),
        st.lists(inner, max_size=3).map(lambda b_: b"do " + b"\n".join(b_) + b" end"),
        st.lists(inner, max_size=3).map(lambda b_: b"for k, v in pairs(t) do " + b"\n".join(b_) + b" end"),
        st.lists(inner, max_size=3).map(lambda b_: b"local function g(a, ...) " + b"\n".join(b_) + b" end g(1)"),
    ), max_leaves=10)
PRELUDE = b"local x, y, t = 1, 2, {1, 2, 3}; local function f(...) return ... end\n"
small_program = st.lists(stmt, min_size=1, max_size=6).map(lambda ss: PRELUDE + b"\n".join(ss))

# ----------------------------------------------------------------- deep nesting

NESTS = [(b"(", b")"), (b"{", b"}"), (b"{k = ", b"}"), (b"f(", b")"), (b"-", b""), (b"not ", b""),
         (b"x .. ", b""), (b"(function() return ", b" end)()"), (b"x and (", b")"), (b"x or (", b")"),
         (b"t[", b"]"), (b"#", b""), (b"~", b""), (b"2^", b"")]
BLOCKS = [(b"do ", b" end"), (b"if x then ", b" end"), (b"while x do ", b" break end"),
          (b"for i = 1, 1 do ", b" end"), (b"for k in pairs(t) do ", b" end"), (b"repeat ", b" until true"),
          (b"local function g() ", b" end g()"), (b"if not x then else ", b" end"),
          (b"do local c <close> = nil ", b" end"), (b"do goto l; ::l:: ", b" end")]


@st.composite
def deep_program(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(1, 260))
    if draw(st.booleans()):
        kinds = draw(st.lists(st.sampled_from(NESTS), min_size=1, max_size=3))
        opening = b"".join(kinds[i % len(kinds)][0] for i in range(depth))
        closing = b"".join(kinds[i % len(kinds)][1] for i in reversed(range(depth)))
        return PRELUDE + b"local r = " + opening + b"x" + closing + b"\nprint(r)"
    kinds = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=3))
    opening = b"\n".join(kinds[i % len(kinds)][0] for i in range(depth))
    closing = b"\n".join(kinds[i % len(kinds)][1] for i in reversed(range(depth)))
    inner = draw(st.sampled_from([b"x = x + 1", b"break", b"return x", b"goto l", b"error('e')", b"local z = x"]))
    return PRELUDE + opening + b"\n" + inner + b"\n" + closing + b"\nprint(x)"


# ----------------------------------------------------------------- huge numerals

digits = st.integers(1, 6000).map(lambda n: b"9" * n)


@st.composite
def numeral_program(draw: st.DrawFn) -> bytes:
    d = draw(digits)
    form = draw(st.sampled_from([b"%s", b"0x%s", b"%s.5", b"%se10", b"1e%s", b"0x1p%s", b"-%s", b"%s.0e-%s"]))
    num = form.replace(b"%s", d)
    use = draw(st.sampled_from([
        b"print(%s)", b"print(tonumber('%s'))", b"print('%s' + 1)", b"print(%s // 3, %s %% 7)",
        b"print(math.tointeger('%s'))", b"print(string.format('%%d', '%s'))", b"print(('%s'):rep(2) * 1)",
        b"print(tonumber('%s', 16), tonumber('%s', 36))", b"for i = 1, '%s' do break end",
        b"print(string.format('%%.3f', %s))", b"print(('x'):rep(3, '%s'))", b"print(%s | 0)",
        b"local t = {} t['%s'] = 1 t[%s] = 2 print(next(t))", b"print(utf8.char('%s'))",
    ]))
    return use.replace(b"%s", num)


# ----------------------------------------------------------------- the tests


def _check(src: bytes) -> None:
    run_source(src)


@pytest.mark.skipif(not FILES, reason="the official Lua test suite is not there")
@fuzz_settings(1000)
@given(mutated_program())
def test_mutated_suite_fragments(src: bytes):
    _check(src)


@fuzz_settings(1000)
@given(token_soup)
def test_token_soup(src: bytes):
    _check(src)


@fuzz_settings(800)
@given(small_program)
def test_small_random_programs(src: bytes):
    _check(src)


@fuzz_settings(300)
@given(deep_program())
def test_deep_nesting(src: bytes):
    _check(src)


@fuzz_settings(200)
@given(numeral_program())
def test_huge_numerals(src: bytes):
    _check(src)
