"""Every library function, called with random arguments, never raises a Python exception.

Arguments are drawn from Lua values of every type, chosen for the edges library code meets:
extreme, negative, NaN and infinite numbers, numeric and pattern-like strings, huge strings
(bounded by the memory limit), tables with hostile metatables, functions that error, yield or
never return, threads in every state, open and closed files. Each call is a real Lua program
(``return string.rep(a, b)``) run under small limits (harness.py); then the results are
converted with ``tostring`` as print would.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuzz_harness import ALLOWED, UNSAFE, fuzz_settings, new_runtime

NUMBERS = ["0", "1", "-1", "2", "3", "7", "10", "255", "256", "1000", "-1000", "2^31", "2^53", "2^63",
           "-2^63", "math.maxinteger", "math.mininteger", "math.maxinteger + 0.0", "-0.0", "0.5", "3.7",
           "-3.7", "1e308", "-1e308", "1/0", "-1/0", "0/0", "-(0/0)", "1e-320", "1 << 62", "0x7fffffff",
           "100000000"]
STRINGS = ["''", "'a'", "'abc'", "'hello world'", "'10'", "'0x10'", "' 1e5 '", "'nan'", "'inf'", "'-0'",
           "'9223372036854775808'", "'%d'", "'%s'", "'%5.2f'", "'%q'", "'%'", "'%a'", "'%i'", "'%c'", "'%x'",
           "'%99d'", "'%.99f'", "'%-+ #0d'", "'%10.3s'", "'(%w+)'", "'[a-'", "'%b()'", "'%f[%w]'", "'x*'",
           "'.-'", "'^$'", "'(()'", "'%1'", "'[%a-z]'", "'[^]'", "'%g+'", "'\\0'", "'\\255\\254'",
           "'<i4'", "'>I16'", "'s1'", "'z'", "'!17'", "'j'", "'n'", "'Xi'", "'=!<'", "'i0'", "'c0'", "'c99'",
           "string.rep('x', 1000)", "string.rep('ab', 100000)", "string.rep('%', 9)", "'\\u{10FFFF}'",
           "'\\u{7FFFFFFF}'", "'\\xf4\\x90\\x80\\x80'", "'\\xc0\\x80'", "'*a'", "'l'", "'L'", "'a'", "'r'", "'w'",
           "'rb'", "'r+'", "'set'", "'cur'", "'end'", "'full'", "'no'", "'line'", "'collect'", "'count'",
           "'step'", "'isrunning'", "'incremental'", "'generational'", "'*t'", "'!%c'", "'%Ez'", "'%Y-%m-%d'",
           "'!*t'", "'t'", "'b'", "'bt'", "'x = 1'", "'return ...'", "'syntax error here'", "'\\27Lua'",
           "'flnSrtu'", "'>'", "'call'", "'return'", "'x.txt'", "'/nonexistent/dir/f'", "'.'"]
TABLES = ["{}", "{1, 2, 3}", "{3, 1, 2}", "{'b', 'a', 'c'}", "{1, nil, 3}", "{n = 2, 1, 2}", "{[1.5] = 1, x = 2}",
          "{{}, {1}}", "{1, 'a', {}, true}", "{year = 2020, month = 1, day = 1}",
          "{year = 2^62, month = -2^62, day = 0/0}", "{0/0, 1, 2}",
          "setmetatable({}, {__index = function(t, k) return k end})",
          "setmetatable({}, {__len = function() return 2^31 end})",
          "setmetatable({}, {__len = function() return 'x' end})",
          "setmetatable({}, {__len = function() return math.mininteger end})",
          "setmetatable({}, {__tostring = function() return 1 end})",
          "setmetatable({}, {__tostring = function() return 'T' end, __name = 'N'})",
          "setmetatable({}, {__name = 42})",
          "setmetatable({1, 2}, {__lt = function() error('lt') end})",
          "setmetatable({}, {__index = function() error('idx') end, __newindex = function() error('ni') end})",
          "setmetatable({}, {__call = function(...) return ... end})",
          "setmetatable({}, {__eq = function() return true end, __le = function() return 1 end})",
          "setmetatable({}, {__concat = function(a, b) return 'c' end, __unm = function() return {} end})",
          "setmetatable({}, {__metatable = 'locked'})",
          "setmetatable({}, {__close = function() error('close') end})",
          "setmetatable({}, {__pairs = function(t) return next, {1, 2}, nil end})",
          "setmetatable({}, {__index = string})"]
FUNCTIONS = ["print", "function(...) return ... end", "function() error('e') end", "function() error({}) end",
             "function() error() end", "function() return 1, 2, 3 end", "function(a, b) return a < b end",
             "function(a, b) return true end", "function() while true do end end",
             "function(...) return coroutine.yield(...) end", "string.rep", "error", "coroutine.yield",
             "select", "tostring", "next", "function() return {} end", "function() return nil end",
             "function(x) return x end", "string.format", "load", "pcall", "coroutine.wrap(function() end)"]
OTHERS = ["nil", "true", "false", "coroutine.create(function() end)", "coroutine.running()",
          "(function() local c = coroutine.create(function() coroutine.yield(1) end) coroutine.resume(c) return c end)()",
          "(function() local c = coroutine.create(function() error('x') end) coroutine.resume(c) return c end)()",
          "io.stdout", "io.stdin", "io.stderr", "io.tmpfile()", "(function() local f = io.tmpfile() f:close() return f end)()",
          "_G", "string", "math.huge", "..."]
VALUES = NUMBERS + STRINGS + TABLES + FUNCTIONS + OTHERS


def _functions() -> list[str]:
    rt = new_runtime()
    names = []
    for k, v in sorted(rt.globals.items()):
        if callable(v) and type(k) is bytes:
            names.append(k.decode())
        elif type(k) is bytes and k not in (b"_G", b"package") and hasattr(v, "items"):
            for fk, fv in sorted(v.items()):
                if callable(fv) and type(fk) is bytes and fk not in UNSAFE.get(k, ()):
                    names.append(f"{k.decode()}.{fk.decode()}")
    rt.close()
    # methods of strings and files
    names += [f"({'s'!r}):{m}" for m in ("rep", "format", "byte", "sub", "gsub", "find")]
    names += [f"io.tmpfile():{m}" for m in ("read", "write", "seek", "lines", "close", "setvbuf", "flush")]
    names += [f"io.stdout:{m}" for m in ("write", "seek", "setvbuf", "close")]
    return names


FUNCTION_NAMES = _functions()
value = st.sampled_from(VALUES)


@st.composite
def call(draw: st.DrawFn) -> bytes:
    fn = draw(st.sampled_from(FUNCTION_NAMES))
    args = draw(st.lists(value, max_size=5))
    form = draw(st.sampled_from(["return {f}({a})", "return pcall({f}, {a})",
                                 "local co = coroutine.wrap(function(...) return {f}(...) end) return co({a})"]))
    if ":" in fn and form != "return {f}({a})":
        form = "return {f}({a})"
    return form.format(f=fn, a=", ".join(args)).encode()


def run_call(src: bytes) -> None:
    rt = new_runtime()
    try:
        results = rt.execute(src, "=fuzz", 1, "x")
        for r in results:
            rt.tostring(r)  # as print would: __tostring, __name
    except ALLOWED:
        pass
    finally:
        rt.close()


def test_every_library_is_fuzzed():
    libs = {n.split(".")[0] for n in FUNCTION_NAMES if "." in n and ":" not in n}
    assert {"string", "table", "math", "utf8", "os", "io", "coroutine", "debug"} <= libs
    assert {"print", "select", "load", "pcall", "setmetatable", "tonumber"} <= set(FUNCTION_NAMES)


@fuzz_settings(3000)
@given(call())
def test_library_functions_with_random_arguments(src: bytes):
    run_call(src)


@fuzz_settings(800)
@given(st.sampled_from(FUNCTION_NAMES), st.lists(value, min_size=1, max_size=3))
def test_each_function_with_few_arguments(fn: str, args: list[str]):
    run_call(f"return {fn}({', '.join(args)})".encode())
