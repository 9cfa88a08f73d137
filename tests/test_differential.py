"""Differential tests: random Lua snippets must print the same lines under luavm and lua5.4.

Each hypothesis example builds one Lua program of many independent lines (one per generated
expression, each guarded by pcall so an error prints its message instead of stopping the run),
runs it once under lua5.4 and once under luavm in-process, and compares stdout line by line.
Batching keeps the whole file fast; settings are derandomized so runs are repeatable.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luaref import load_cli_run, lua_available, run_lua, run_luavm, stdout_lines

RUN, WHY = load_cli_run()
pytestmark = [
    pytest.mark.skipif(not lua_available(), reason="lua5.4 not installed"),
    pytest.mark.skipif(RUN is None, reason=WHY),
]

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=15,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BATCH = 25  # generated lines per Lua program


def compare(lines: list[str], prelude: str = "") -> None:
    """Run ``prelude`` + one numbered line per entry under both interpreters; same stdout."""
    source = prelude + "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory(prefix="luadiff") as tmp:
        path = Path(tmp) / "diff.lua"
        path.write_text(source)
        ref_out, ref_err, ref_code = run_lua(path)
        assert ref_code == 0, f"the generated program fails under lua5.4: {ref_err!r}\n{source}"
        out, err, code = run_luavm(RUN, str(path))  # type: ignore[arg-type]
    assert code == 0, f"luavm exit status {code}: {err[:1500]!r}"
    ref, got = stdout_lines(ref_out), stdout_lines(out)
    for i, (want, have) in enumerate(zip(ref, got)):
        if want != have:
            # Every generated line prints exactly one line, tagged with its index.
            tag = want.split(b"\t", 1)[0]
            snippet = lines[int(tag)] if tag.isdigit() and int(tag) < len(lines) else "?"
            pytest.fail(f"line {i} differs\n  lua5.4: {want!r}\n  luavm:  {have!r}\n  code: {snippet}")
    assert len(got) == len(ref), f"luavm printed {len(got)} lines, lua5.4 {len(ref)}"


def guarded(i: int, expr: str) -> str:
    """One output line: index, then pcall's status and results, each passed through show()."""
    return f"print({i}, show(pcall(function() return {expr} end)))"


# show(...) -> one tab-joined string; math.type tells integers from floats beyond tostring.
SHOW = """
local function show(...)
  local n, out = select("#", ...), {}
  for i = 1, n do
    local v = select(i, ...)
    local s = tostring(v)
    if math.type(v) == "float" then s = s .. "f" end
    out[i] = s
  end
  return table.concat(out, " ")
end
"""

# ----------------------------------------------------------------- arithmetic & comparison

INT_OPERANDS = ["0", "1", "-1", "2", "3", "-2", "7", "-7", "1000", "math.maxinteger",
                "math.mininteger", "(math.maxinteger - 1)", "(math.mininteger + 1)", "4611686018427387904",
                "0x7fffffffffffffff", "0xffffffffffffffff", "9007199254740993"]
FLOAT_OPERANDS = ["0.0", "-0.0", "0.1", "0.5", "-1.5", "2.0", "1e308", "-1e308", "2^53",
                  "2^63", "-2^63", "1e15", "1e16", "3.75", "(1/0)", "(-1/0)", "(0/0)", "1e-310"]
STRING_OPERANDS = ['"10"', '" 0x10 "', '"1e2"', '"abc"', '"-3"', '"0.5"', '"  7  "', '""',
                   '"9223372036854775807"', '"9223372036854775808"', '"0x"', '"1e"', '"-0"']
BINARY = ["+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=",
          "&", "|", "~", "<<", ">>"]
UNARY = ["-", "~", "not"]  # rendered "(op x)": "--1" would start a comment

operand = st.sampled_from(INT_OPERANDS + FLOAT_OPERANDS + STRING_OPERANDS)


def expressions(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return operand
    sub = expressions(depth - 1)
    return st.one_of(
        operand,
        st.builds(lambda a, op, b: f"({a} {op} {b})", sub, st.sampled_from(BINARY), sub),
        st.builds(lambda op, a: f"({op} {a})", st.sampled_from(UNARY), sub),
    )


@SETTINGS
@given(st.lists(expressions(2), min_size=BATCH, max_size=BATCH))
def test_arithmetic_comparison_concat(exprs: list[str]) -> None:
    compare([guarded(i, e) for i, e in enumerate(exprs)], SHOW)


# ----------------------------------------------------------------- string.format

FORMAT_VALUES = INT_OPERANDS[:12] + FLOAT_OPERANDS + STRING_OPERANDS + ["nil", "true", "T"]


@st.composite
def format_specs(draw: st.DrawFn) -> str:
    # Mostly valid specs; PUC Lua 5.4 refuses 3-digit widths/precisions and some flag mixes.
    flags = "".join(draw(st.lists(st.sampled_from("-+ #0"), max_size=2, unique=True)))
    width = draw(st.sampled_from(["", "", "", "1", "5", "12", "99", "100"]))
    precision = draw(st.sampled_from(["", "", "", ".0", ".1", ".3", ".14", ".99", ".100"]))
    conv = draw(st.sampled_from("dixXoceEfgGaAqs%uy"))
    return f"%{flags}{width}{precision}{conv}"


@SETTINGS
@given(st.lists(st.tuples(format_specs(), st.sampled_from(FORMAT_VALUES),
                          st.sampled_from(["", "x=", "[", "%%"])), min_size=BATCH, max_size=BATCH))
def test_string_format(items: list[tuple[str, str, str]]) -> None:
    lines = [f"print({i}, oneline(show(pcall(string.format, {lua_str(lead + spec)}, {value}))))"
             for i, (spec, value, lead) in enumerate(items)]
    # T has a fixed __tostring (a table would print its address); %q and %c may emit newlines.
    prelude = SHOW + """
local T = setmetatable({}, {__tostring = function() return "T" end})
local function oneline(s) return (s:gsub("\\n", "<NL>")) end
"""
    compare(lines, prelude)


# ----------------------------------------------------------------- patterns

ATOMS = ["a", "b", "1", ".", "%a", "%d", "%s", "%w", "%p", "[ab]", "[^a]", "[%d ]", "[a-b]",
         "%(", "%)", "%%", "%b()", "%f[%a]", "%f[%A]", " "]
QUANTS = ["", "", "", "*", "+", "-", "?"]


@st.composite
def patterns(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        atom = draw(st.sampled_from(ATOMS))
        quant = draw(st.sampled_from(QUANTS)) if not atom.startswith(("%b", "%f")) else ""
        parts.append(atom + quant)
    if draw(st.booleans()):  # wrap a slice in a capture, or add a position capture
        i = draw(st.integers(0, len(parts) - 1))
        parts[i] = draw(st.sampled_from(["(%s)", "()%s"])) % parts[i]
        if draw(st.booleans()) and parts[i].startswith("(") and not parts[i].startswith("()"):
            parts.append("%1")
    pattern = "".join(parts)
    if draw(st.integers(0, 4)) == 0:
        pattern = "^" + pattern
    if draw(st.integers(0, 4)) == 0:
        pattern += "$"
    if draw(st.integers(0, 15)) == 0:  # occasionally malformed
        pattern += draw(st.sampled_from(["[", "%", "(", ")", "%b", "%f", "%9"]))
    return pattern


subjects = st.text(alphabet="aab1 ()", max_size=12)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["find", "match", "gsub", "gmatch"]), patterns(), subjects,
                          st.sampled_from([1, 1, 2, -3, 0, 20])),
                min_size=BATCH, max_size=BATCH))
def test_patterns(items: list[tuple[str, str, str, int]]) -> None:
    lines = []
    for i, (fn, pat, subject, init) in enumerate(items):
        s, p = lua_str(subject), lua_str(pat)
        if fn == "find":
            expr = f"string.find({s}, {p}, {init})"
        elif fn == "match":
            expr = f"string.match({s}, {p}, {init})"
        elif fn == "gsub":
            expr = f"string.gsub({s}, {p}, '<%0>', {init if init > 0 else 'nil'})"
        else:
            expr = f"gm({s}, {p})"
        lines.append(guarded(i, expr))
    prelude = SHOW + """
local function gm(s, p)
  local out = {}
  for a, b in string.gmatch(s, p) do out[#out + 1] = tostring(a) .. "/" .. tostring(b) end
  return table.concat(out, ",")
end
"""
    compare(lines, prelude)


def lua_str(text: str) -> str:
    """A Lua string literal for ASCII ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------- tostring / tonumber

finite = st.floats(allow_nan=False, allow_infinity=False)
numbers_lua = st.one_of(
    st.integers(-2**63, 2**63 - 1).map(lambda n: str(n) if n != -2**63 else "math.mininteger"),
    finite.map(lambda f: f"{f!r}".replace("inf", "(1/0)")),
    st.sampled_from(FLOAT_OPERANDS),
)
digit_strings = st.text(alphabet="0123456789abcdefxyzABCZ .-+", min_size=0, max_size=10)
numeric_strings = st.one_of(
    digit_strings,
    st.sampled_from(["0x1p4", "0x.8", "0xA.8P1", "1e+2", ".5", "5.", "0x", " 12 ", "1 2", "inf",
                     "nan", "0x7fffffffffffffff", "0x10000000000000000", "-0x1", "1e400",
                     "9223372036854775808", "-9223372036854775809", "00012", "1E-2", "0b1"]),
)


@SETTINGS
@given(st.lists(numbers_lua, min_size=BATCH, max_size=BATCH),
       st.lists(st.tuples(digit_strings, st.integers(2, 36)), min_size=BATCH, max_size=BATCH),
       st.lists(numeric_strings, min_size=BATCH, max_size=BATCH))
def test_tostring_tonumber(nums: list[str], based: list[tuple[str, int]], strings: list[str]) -> None:
    lines = []
    for x in nums:
        lines.append(guarded(len(lines), f"tostring({x}), tonumber(tostring({x})) == {x}, "
                                         f"string.format('%.17g', {x}), math.type({x})"))
    for text, base in based:
        lines.append(guarded(len(lines), f"tonumber({lua_str(text)}, {base})"))
    for text in strings:
        s = lua_str(text)
        lines.append(guarded(len(lines), f"tonumber({s}), math.type(tonumber({s})), {s} + 0"))
    compare(lines, SHOW)


# ----------------------------------------------------------------- table.sort

COMPARATORS = ["nil", "function(a, b) return a > b end", "function(a, b) return a % 7 < b % 7 end",
               "function(a, b) return a < b end"]


@SETTINGS
@given(st.lists(st.tuples(st.lists(st.integers(-50, 50), max_size=40), st.sampled_from(COMPARATORS),
                          st.sampled_from(["", "", "", "mixed", "nil-hole", "not-table"])),
                min_size=10, max_size=10))
def test_table_sort(items: list[tuple[list[int], str, str]]) -> None:
    lines = []
    for i, (values, cmp, twist) in enumerate(items):
        t = "{" + ", ".join(map(str, values)) + "}"
        if twist == "mixed" and values:
            # Which pair fails first is algorithm-specific; the kind of error is not.
            t = "{" + ", ".join(map(str, values)) + ", 'x'}"
            lines.append(f"print({i}, (select(2, pcall(table.sort, {t})):gsub('string with number', "
                         f"'number with string')))")
            continue
        if twist == "nil-hole":
            t = "{" + ", ".join(map(str, values)) + ", nil, 1}"
        if twist == "not-table":
            t = "'abc'"
        if cmp.startswith("function(a, b) return a % 7"):
            # Equal keys make the order of equal elements algorithm-specific: print keys only.
            lines.append(f"print({i}, show(pcall(function() local t = {t} table.sort(t, {cmp}) "
                         f"for k = 1, #t do t[k] = t[k] % 7 end return table.concat(t, ' ') end)))")
        else:
            lines.append(f"print({i}, show(pcall(function() local t = {t} table.sort(t, {cmp}) "
                         f"return table.concat(t, ' ') end)))")
    compare(lines, SHOW)


# ----------------------------------------------------------------- math

MATH_ONE = ["math.floor", "math.ceil", "math.modf", "math.tointeger", "math.abs", "math.type",
            "math.sqrt", "math.exp", "math.log"]
MATH_TWO = ["math.fmod", "math.ult", "math.max", "math.min", "math.log"]
math_args = st.sampled_from(INT_OPERANDS + FLOAT_OPERANDS + STRING_OPERANDS + ["nil", "true"])


@SETTINGS
@given(st.lists(st.one_of(
    st.tuples(st.sampled_from(MATH_ONE), st.lists(math_args, min_size=1, max_size=1)),
    st.tuples(st.sampled_from(MATH_TWO), st.lists(math_args, min_size=2, max_size=3)),
), min_size=BATCH, max_size=BATCH))
def test_math_functions(calls: list[tuple[str, list[str]]]) -> None:
    lines = [f"print({i}, show(pcall({fn}, {', '.join(args)})))" for i, (fn, args) in enumerate(calls)]
    compare(lines, SHOW)
