"""Tests for luavm.lib.oslib: time/date conversions (differential against lua5.4 for fixed
times), date-table normalisation, file results, os.exit's LuaExit, and the error messages."""

from __future__ import annotations

import os
from typing import Any

import pytest

from luavm.lib.oslib import LuaExit, open_os
from luavm.meter import STRING_OVERHEAD
from luavm.table import LuaTable
from test_tablelib import FakeRT, lib_funcs, lua_error, needs_lua, run_lua, show

O = lib_funcs(open_os)
FORMAT_ALL = ("%c|%x|%X|%p|%r|%Z|%z|%a %A %b %B %C %d %D %e %F %g %G %h %H %I %j %m %M %n %R %S %t %T "
              "%u %U %V %w %W %y %Y %% %Ec|%EC|%Ex|%EX|%Ey|%EY|%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy")


def date_table(**fields: Any) -> LuaTable:
    return LuaTable({k.encode(): v for k, v in fields.items()})


def test_date_formats_and_star_t() -> None:
    assert O["date"](b"!%Y-%m-%d %H:%M:%S", 0) == (b"1970-01-01 00:00:00",)
    assert O["date"](b"!%Y", 86400 * 366) == (b"1971",)
    (t,) = O["date"](b"!*t", 3600)
    assert [t[k] for k in (b"year", b"month", b"day", b"hour", b"min", b"sec", b"wday", b"yday", b"isdst")] == \
        [1970, 1, 1, 1, 0, 0, 5, 1, False]
    assert O["date"](b"!%Z", 0) == (b"GMT",)
    assert lua_error(O["date"], b"%Ez") == "bad argument #1 to 'date' (invalid conversion specifier '%Ez')"
    assert lua_error(O["date"], b"%Ez abc") == "bad argument #1 to 'date' (invalid conversion specifier '%Ez abc')"
    assert lua_error(O["date"], b"%") == "bad argument #1 to 'date' (invalid conversion specifier '%')"
    assert lua_error(O["date"], b"*t", 1.5) == "bad argument #2 to 'date' (number has no integer representation)"
    assert lua_error(O["date"], b"!*t", 2**60) == "date result cannot be represented in this installation"


def test_time_normalises_table() -> None:
    t = date_table(year=2024, month=14, day=35, hour=25, min=61, sec=-5)
    (r,) = O["time"](t)
    (back,) = O["date"](b"*t", r)
    for k in (b"year", b"month", b"day", b"hour", b"min", b"sec", b"yday", b"wday"):
        assert t[k] == back[k]
    assert (t[b"year"], t[b"month"], t[b"day"]) == (2025, 3, 8)
    noon = O["time"](date_table(year=2020, month=1, day=1, hour=12))[0]
    midnight = O["time"](date_table(year=2020, month=1, day=1, hour=0))[0]
    assert noon - midnight == 43200
    assert O["time"](date_table(year=b"2024", month=b"3", day=1))[0] == \
        O["time"](date_table(year=2024, month=3, day=1))[0]
    assert type(O["time"]()[0]) is int


def test_time_errors() -> None:
    assert lua_error(O["time"], date_table(year=2020)) == "field 'month' missing in date table"
    assert lua_error(O["time"], date_table(year=2020, month=1)) == "field 'day' missing in date table"
    assert lua_error(O["time"], date_table(year=2020, month=b"x", day=1)) == "field 'month' is not an integer"
    assert lua_error(O["time"], date_table(year=2020, month=1.5, day=1)) == "field 'month' is not an integer"
    assert lua_error(O["time"], date_table(year=2020, month=2**40, day=1)) == "field 'month' is out-of-bound"
    assert lua_error(O["time"], 5) == "bad argument #1 to 'time' (table expected, got number)"


def test_difftime_clock_getenv() -> None:
    assert O["difftime"](10, 4) == (6.0,)
    assert lua_error(O["difftime"], 1) == "bad argument #2 to 'difftime' (number expected, got no value)"
    assert type(O["clock"]()[0]) is float
    assert O["getenv"](b"LUAVM_SURELY_NOT_SET_VARIABLE") == (None,)
    os.environ["LUAVM_TEST_VAR"] = "v\u00e9"
    assert O["getenv"](b"LUAVM_TEST_VAR") == ("v\u00e9".encode(),)
    assert lua_error(O["getenv"]) == "bad argument #1 to 'getenv' (string expected, got no value)"


def test_exit() -> None:
    for args, code in (((), 0), ((True,), 0), ((False,), 1), ((3,), 3), ((-1,), 255)):
        with pytest.raises(LuaExit) as ei:
            O["exit"](*args)
        assert ei.value.code == code


def test_files(tmp_path: Any) -> None:
    missing = str(tmp_path / "x").encode()
    assert O["remove"](missing) == (None, missing + b": No such file or directory", 2)
    assert O["rename"](missing, missing + b"y") == (None, b"No such file or directory", 2)
    (name,) = O["tmpname"]()
    assert name.startswith(b"/tmp/lua_") and len(name) == 15 and os.path.exists(name)
    assert O["rename"](name, name + b"2") == (True,)
    assert O["remove"](name + b"2") == (True,)
    d = tmp_path / "emptydir"
    d.mkdir()
    assert O["remove"](str(d).encode()) == (True,)  # C's remove() also removes empty directories


def test_setlocale_and_execute() -> None:
    assert O["setlocale"]() == (b"C",)
    assert O["setlocale"](b"C", b"time") == (b"C",)
    assert O["setlocale"](b"xx_YY") == (None,)
    assert lua_error(O["setlocale"], b"C", b"bad") == "bad argument #2 to 'setlocale' (invalid option 'bad')"
    assert O["execute"]() == (True,)
    assert O["execute"](b"exit 3") == (None, b"exit", 3)
    assert O["execute"](b"true") == (True, b"exit", 0)


@needs_lua
def test_date_differential() -> None:
    times = [0, 1, 3600, 86399, 951782400, 1700000000, 1709294400, 2147483647, 4102444800, -86400 * 400]
    lines, expected = [], []
    for t in times:
        for fmt in (FORMAT_ALL, "!" + FORMAT_ALL):
            lines.append(f"print(os.date({fmt!r}, {t}))")
            expected.append(show(O["date"](fmt.encode(), t)[0]))
        lines.append(f"local t = os.date('*t', {t}); print(os.time(t), t.yday, t.wday, t.isdst)")
        (tt,) = O["date"](b"*t", t)
        expected.append("\t".join(show(v) for v in (O["time"](tt)[0], tt[b"yday"], tt[b"wday"], tt[b"isdst"])))
    lines.append("local t = {year=2024, month=14, day=35, hour=25, min=61, sec=-5, isdst=true}; "
                 "print(os.time(t), t.year, t.month, t.day, t.hour, t.min, t.sec, t.yday, t.wday, t.isdst)")
    t = date_table(year=2024, month=14, day=35, hour=25, min=61, sec=-5, isdst=True)
    r = O["time"](t)[0]
    expected.append("\t".join(show(v) for v in [r] + [t.get(k.encode()) for k in
                                                      ("year", "month", "day", "hour", "min", "sec", "yday", "wday",
                                                       "isdst")]))
    assert run_lua("\n".join(lines)) == "".join(e + "\n" for e in expected)  # %n prints newlines


def test_metering() -> None:
    rt = FakeRT()
    lib_funcs(open_os, rt)["date"](b"!" + b"%Y" * 40, 0)
    assert rt.steps == 160 // 16 and rt.mem == STRING_OVERHEAD + 160
