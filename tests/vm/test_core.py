"""Core language behaviour through the Python API: values, calls, errors, recursion, coroutines."""

from __future__ import annotations

import io

import pytest

from luavm import InstructionLimitExceeded, Limits, LuaError, LuaRuntime


def run(src: str, **kw) -> tuple:
    return LuaRuntime(**kw).execute(src, "=test")


def out_of(src: str, **kw) -> str:
    buf = io.BytesIO()
    LuaRuntime(stdout=buf, **kw).execute(src, "=test")
    return buf.getvalue().decode("latin-1")


def test_arithmetic_subtypes_and_wraparound():
    assert run("return 1 + 2, 7 // 2, 7 / 2, 7 % -3, 2^10, math.maxinteger + 1 == math.mininteger") == (
        3, 3, 3.5, -2, 1024.0, True)
    assert run("return 3 // 0.0, -3 % math.huge") == (float("inf"), float("inf"))
    assert run("return '10' + 1, '0x10' * 1, '1e1' * 1") == (11, 16, 10.0)


def test_integer_division_by_zero_is_an_error():
    with pytest.raises(LuaError, match="attempt to perform 'n%0'"):
        run("local a, b = 1, 0; return a % b")


def test_closures_get_a_fresh_local_per_iteration():
    assert run("""
        local fs = {}
        for i = 1, 3 do fs[i] = function() return i end end
        local t = {}
        for _, k in ipairs({'a', 'b'}) do t[k] = function() return k end end
        return fs[1](), fs[2](), fs[3](), t.a(), t.b()
    """) == (1, 2, 3, b"a", b"b")


def test_upvalues_are_shared_between_closures():
    assert run("""
        local function pair() local n = 0
          return function() n = n + 1 return n end, function() return n end end
        local inc, get = pair(); inc(); inc()
        return get()
    """) == (2,)


def test_proper_tail_calls_run_a_million_deep():
    assert run("""
        local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
        function gloop(n) if n == 0 then return 'done' end return gloop(n - 1) end
        return loop(1000000, 0), gloop(1000000)
    """) == (1000000, b"done")


def test_deep_recursion_reaches_100000_levels():
    assert run("""
        local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
        return depth(150000)
    """) == (150000,)


def test_runaway_recursion_is_a_catchable_stack_overflow():
    ok, msg = run("""
        local function f() return 1 + f() end
        return pcall(f)
    """)
    assert ok is False and msg.endswith(b"stack overflow") and msg.startswith(b"test:2:")
    # and the runtime is still usable afterwards
    assert run("return 1") == (1,)


def test_runtime_error_messages_name_the_variable():
    cases = {
        "local x; return x.y": "test:1: attempt to index a nil value (local 'x')",
        "local t = {}; return t.a.b": "test:1: attempt to index a nil value (field 'a')",
        "return undefined_fn()": "test:1: attempt to call a nil value (global 'undefined_fn')",
        "local t = {}; return t.y + 1": "test:1: attempt to perform arithmetic on a nil value (field 'y')",
        "return 1 < nil": "test:1: attempt to compare number with nil",
        "local t = {}; t:nomethod()": "test:1: attempt to call a nil value (method 'nomethod')",
    }
    for src, msg in cases.items():
        with pytest.raises(LuaError) as ei:
            run(src)
        assert str(ei.value) == msg, src


def test_error_values_of_any_type_and_levels():
    assert run("return pcall(error, {code = 1})")[1].get(b"code") == 1
    assert run("return pcall(error)") == (False, None)
    assert run("""
        local function f() error('lvl2', 2) end
        local ok, m = pcall(function()
          f()   -- line 4
        end)
        return m
    """) == (b"test:4: lvl2",)


def test_metamethods():
    assert out_of("""
        local V = {}
        V.__index = V
        V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
        V.__eq = function(a, b) return a.x == b.x end
        V.__lt = function(a, b) return a.x < b.x end
        V.__le = function(a, b) return a.x <= b.x end
        V.__len = function(a) return a.x end
        V.__concat = function(a, b) return 'cat' end
        V.__call = function(self, y) return self.x + y end
        V.__tostring = function(a) return 'V(' .. a.x .. ')' end
        V.__unm = function(a) return setmetatable({x = -a.x}, V) end
        local a, b = setmetatable({x = 1}, V), setmetatable({x = 2}, V)
        print(tostring(a + b), a == b, a < b, a <= b, #b, a .. 'z', a(10), tostring(-a))
    """) == "V(3)\tfalse\ttrue\ttrue\t2\tcat\t11\tV(-1)\n"


def test_goto_continue_and_nested_break():
    assert run("""
        local s = 0
        for i = 1, 10 do
          for j = 1, 10 do
            if j > i then break end
            if (i + j) % 2 == 0 then goto continue end
            s = s + j
            ::continue::
          end
        end
        return s
    """) == (95,)  # checked against lua5.4


def test_to_be_closed_variables_close_in_reverse_order():
    assert out_of("""
        local function mk(n) return setmetatable({}, {__close = function(_, e) print('close', n, e) end}) end
        do
          local a <close> = mk(1)
          local b <close> = mk(2)
        end
        print(pcall(function() local c <close> = mk(3); error('boom', 0) end))
    """) == "close\t2\tnil\nclose\t1\tnil\nclose\t3\tboom\nfalse\tboom\n"


def test_coroutines_yield_across_pcall_and_metamethods():
    assert out_of("""
        local co = coroutine.wrap(function(a)
          local ok, v = pcall(function() return coroutine.yield(a + 1) end)
          local t = setmetatable({}, {__index = function(_, k) return coroutine.yield(k) end})
          local w = t.key
          return 'end', v, w
        end)
        print(co(1)); print(co('resumed')); print(co('w'))
    """) == "2\nkey\nend\tresumed\tw\n"


def test_bytes_round_trip_unchanged():
    rt = LuaRuntime()
    banner = b"\xff\x00SSH-2.0\x80\r\n"
    f = rt.execute("return function(s) return s .. '', #s end")[0]
    assert rt.call(f, banner) == (banner, len(banner))


def test_instruction_limit_cannot_be_caught_by_pcall():
    src = "local ok = pcall(function() while true do end end) return 'escaped'"
    with pytest.raises(InstructionLimitExceeded):
        run(src, limits=Limits(instructions=10_000))
