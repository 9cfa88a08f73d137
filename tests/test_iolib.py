"""Tests for luavm.lib.iolib: read formats (differential against lua5.4 on the same file),
write/seek/lines/close, default files, error results and messages, and metering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from luavm.errors import LuaError
from luavm.lib.iolib import LuaFile, open_io
from luavm.meter import STRING_OVERHEAD
from luavm.table import LuaTable
from test_tablelib import FakeRT, lua_error, needs_lua, run_lua, show

DATA = b"hello\n12 0x1F -3.5e2 .5 abc\n0x1p4 1e 5.\n  -.e1 0x\nlast"


def setup(stdin: bytes = b"") -> tuple[FakeRT, dict[str, Any]]:
    rt = FakeRT(stdin=stdin)
    lib = open_io(rt)
    return rt, {k.decode(): v for k, v in lib.items()}


def method(f: LuaFile, name: str) -> Any:
    return f.meta[b"__index"][name.encode()]


def call(f: LuaFile, name: str, *args: Any) -> tuple:
    return method(f, name)(f, *args)


@pytest.fixture
def datafile(tmp_path: Path) -> bytes:
    p = tmp_path / "in.txt"
    p.write_bytes(DATA)
    return str(p).encode()


def test_write_and_number_format() -> None:
    rt, io = setup()
    assert io["write"](b"a", 1, 2.5, b"\n") == (io["stdout"],)
    io["write"](1, b" ", 1.0, b" ", -0.0, b" ", 1e100, b" ", 2.0**63, b" ", float("inf"), b"\n")
    assert rt.stdout.getvalue() == b"a12.5\n1 1 -0 1e+100 9.2233720368548e+18 inf\n"
    assert lua_error(io["write"], LuaTable()) == "bad argument #1 to 'write' (string expected, got table)"
    assert call(io["stdout"], "write", b"x") == (io["stdout"],)
    assert lua_error(method(io["stdout"], "write"), 5) == "bad argument #1 to 'write' (FILE* expected, got number)"


def test_read_formats(datafile: bytes) -> None:
    rt, io = setup()
    (f,) = io["open"](datafile)
    assert call(f, "read", b"l", b"n", b"n", b"n", b"n", b"n") == (b"hello", 12, 31, -350.0, 0.5, None)
    assert call(f, "read", b"L") == (b"abc\n",)
    assert call(f, "read", b"*n", b"n") == (16.0, None)
    assert call(f, "read", b"a") == (b" 5.\n  -.e1 0x\nlast",)
    assert call(f, "read", 0) == (None,)
    assert call(f, "read", b"a") == (b"",)
    assert call(f, "read", b"l") == (None,)
    assert call(f, "seek", b"set", 1) == (1,)
    assert call(f, "read", 3) == (b"ell",)
    assert call(f, "seek") == (4,)
    assert call(f, "seek", b"end") == (len(DATA),)
    assert lua_error(method(f, "read"), f, b"x") == "bad argument #2 to 'read' (invalid format)"
    assert lua_error(method(f, "seek"), f, b"bad") == "bad argument #2 to 'seek' (invalid option 'bad')"
    assert call(f, "close") == (True,)
    assert io["type"](f) == (b"closed file",)
    assert f.meta[b"__tostring"](f) == (b"file (closed)",)
    assert lua_error(method(f, "read"), f) == "attempt to use a closed file"


def test_stdin_reads() -> None:
    rt, io = setup(stdin=b"line1\n42\nrest")
    assert io["read"]() == (b"line1",)
    assert io["read"](b"n", b"l") == (42, b"")
    assert io["read"](0) == (b"",)
    assert io["read"](b"a") == (b"rest",)
    assert io["read"](b"l") == (None,)
    assert io["read"](b"a") == (b"",)
    assert lua_error(io["read"], b"x") == "bad argument #1 to 'read' (invalid format)"
    assert lua_error(io["read"], 1.5) == "bad argument #1 to 'read' (number has no integer representation)"


def test_open_modes_and_failures(tmp_path: Path) -> None:
    rt, io = setup()
    missing = str(tmp_path / "nope").encode()
    assert io["open"](missing) == (None, missing + b": No such file or directory", 2)
    for bad in (b"rb+", b"x", b"", b"r+bx", b"+"):
        assert lua_error(io["open"], missing, bad) == "bad argument #2 to 'open' (invalid mode)"
    name = str(tmp_path / "out.txt").encode()
    (g,) = io["open"](name, b"w")
    assert call(g, "write", b"a", 1, 2.5) == (g,)
    assert call(g, "setvbuf", b"no") == (True,)
    assert call(g, "flush") == (True,)
    assert call(g, "seek", b"cur") == (5,)
    assert call(g, "read", b"a") == (None, b"Bad file descriptor", 9)
    assert call(g, "close") == (True,)
    assert lua_error(method(g, "write"), g, b"x") == "attempt to use a closed file"
    (h,) = io["open"](name, b"a+b")
    call(h, "write", b"Z")
    call(h, "seek", b"set")
    assert call(h, "read", b"a") == (b"a12.5Z",)
    call(h, "close")
    (r,) = io["open"](name)
    assert call(r, "write", b"x") == (None, b"Bad file descriptor", 9)


def test_lines(datafile: bytes, tmp_path: Path) -> None:
    rt, io = setup()
    it, s, c, f = io["lines"](datafile)
    assert (s, c) == (None, None) and io["type"](f) == (b"file",)
    got = []
    while True:
        r = it()
        if not r:
            break
        got.append(r[0])
    assert got == DATA.split(b"\n")
    assert io["type"](f) == (b"closed file",)
    assert lua_error(it) == "file is already closed"
    it2 = io["lines"](datafile, 1, b"l")[0]
    assert it2() == (b"h", b"ello")
    missing = str(tmp_path / "nope").encode()
    assert lua_error(io["lines"], missing) == f"cannot open file '{missing.decode()}' (No such file or directory)"
    assert lua_error(io["lines"], datafile, *([b"l"] * 251)) == "bad argument #252 to 'lines' (too many arguments)"
    (g,) = io["open"](datafile)
    it3 = call(g, "lines", b"n")[0]
    assert it3() == ()  # the first line is text: the "n" read fails, which ends the loop
    assert io["type"](g) == (b"file",)  # file:lines never closes its file


def test_std_files_and_defaults(tmp_path: Path) -> None:
    rt, io = setup()
    assert io["close"]() == (None, b"cannot close standard file")
    assert call(io["stdout"], "close") == (None, b"cannot close standard file")
    assert io["type"](io["stdout"]) == (b"file",) and io["type"](42) == (None,) and io["type"](LuaTable()) == (None,)
    assert lua_error(io["type"]) == "bad argument #1 to 'type' (value expected)"
    assert io["output"]() == (io["stdout"],) and io["input"]() == (io["stdin"],)
    name = str(tmp_path / "o.txt").encode()
    (f,) = io["output"](name)
    io["write"](b"to file")
    assert io["close"]() == (True,)
    assert lua_error(io["write"], b"x") == "default output file is closed"
    assert Path(name.decode()).read_bytes() == b"to file"
    assert lua_error(io["output"], f) == "attempt to use a closed file"
    io["output"](io["stdout"])
    io["input"](name)
    assert io["read"](b"a") == (b"to file",)
    assert lua_error(io["input"], str(tmp_path / "nope").encode()).startswith("cannot open file '")
    meta = io["stdout"].meta
    assert meta[b"__name"] == b"FILE*"
    assert set(meta.keys()) == {b"__index", b"__name", b"__gc", b"__close", b"__tostring"}
    assert set(meta[b"__index"].keys()) == {b"close", b"flush", b"lines", b"read", b"seek", b"setvbuf", b"write"}
    assert meta[b"__tostring"](io["stdout"])[0].startswith(b"file (0x")
    (t,) = io["tmpfile"]()
    call(t, "write", b"tmp")
    call(t, "seek", b"set")
    assert call(t, "read", b"a") == (b"tmp",)
    (p,) = io["popen"](b"echo popen; exit 3")
    assert call(p, "read", b"a") == (b"popen\n",)
    assert call(p, "close") == (None, b"exit", 3)


def test_metering(datafile: bytes) -> None:
    rt, io = setup()
    io["write"](b"x" * 320)
    assert rt.steps == 20
    rt.steps = 0
    rt.mem = 0
    (f,) = io["open"](datafile)
    rt.mem = 0
    call(f, "read", b"a")
    assert rt.steps == len(DATA) // 16 and rt.mem == len(DATA) + STRING_OVERHEAD


@needs_lua
def test_read_differential(datafile: bytes) -> None:
    """The same read sequences on the same file give what lua5.4 gives."""
    sequences = [("l", "n", "n", "n", "n", "n"), ("L",), ("n", "n", "n", "n", "n", "n", "n", "n", "n", "l"),
                 (3, 0, "l"), ("a",), (0,), ("n",), ("*l", "*L", "*a")]
    lines = []
    expected = []
    for seq in sequences:
        lua_args = ", ".join(repr(x) if isinstance(x, str) else str(x) for x in seq)
        lines.append(f"do local f = io.open({datafile.decode()!r}); local r = table.pack(f:read({lua_args})); "
                     f"local o = {{}} for i = 1, r.n do o[#o+1] = tostring(r[i]) end; "
                     f"print(table.concat(o, '|')); print(tostring(f:read('a'))); f:close() end")
        rt, io = setup()
        (f,) = io["open"](datafile)
        args = tuple(x.encode() if isinstance(x, str) else x for x in seq)
        r = call(f, "read", *args)
        expected.append("|".join(show(v) for v in r))
        expected.append(show(call(f, "read", b"a")[0]))
    assert run_lua("\n".join(lines)) == "".join(e + "\n" for e in expected)


# ------------------------------------------------------------------ package / require (file searching)


class LoaderRT(FakeRT):
    """A FakeRT whose load_file gives a Python "chunk" returning a fixed module value."""

    def __init__(self, modules: dict[str, Any]):
        super().__init__()
        self.modules = modules
        self.loaded_files: list[tuple[str, str]] = []

    def load_file(self, path: str, chunkname: str) -> Any:
        self.loaded_files.append((path, chunkname))
        value = self.modules[Path(path).name]
        if isinstance(value, LuaError):
            raise value
        return lambda *args: (value,)


def test_require_preload_and_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from luavm.lib.packagelib import make_require, open_package

    (tmp_path / "mod.lua").write_bytes(b"return 1")
    (tmp_path / "bad.lua").write_bytes(b"x")
    rt = LoaderRT({"mod.lua": 42, "bad.lua": LuaError(b"bad.lua:1: syntax error near <eof>")})
    package = open_package(rt)
    require = make_require(rt, package)
    package[b"path"] = str(tmp_path / "?.lua").encode() + b";;"
    assert require(b"mod") == (42, str(tmp_path / "mod.lua").encode())
    assert require(b"mod") == (42,)
    assert package[b"loaded"][b"mod"] == 42
    assert rt.loaded_files == [(str(tmp_path / "mod.lua"), "@" + str(tmp_path / "mod.lua"))]
    calls = []
    package[b"preload"][b"m"] = lambda *args: (calls.append(args), None)[1:]
    assert require(b"m") == (True, b":preload:")
    assert calls == [(b"m", b":preload:")]
    package[b"cpath"] = b"./?.so"
    msg = lua_error(require, b"a.b")
    assert msg == ("module 'a.b' not found:\n\tno field package.preload['a.b']\n"
                   f"\tno file '{tmp_path}/a/b.lua'\n\tno file ''\n\tno file ''"
                   "\n\tno file './a/b.so'\n\tno file './a.so'")
    assert lua_error(require, b"bad") == (f"error loading module 'bad' from file '{tmp_path}/bad.lua':\n\t"
                                          "bad.lua:1: syntax error near <eof>")
    package[b"searchers"] = 1
    assert lua_error(require, b"zz") == "'package.searchers' must be a table"


def test_package_fields_and_searchpath(monkeypatch: pytest.MonkeyPatch) -> None:
    from luavm.lib.packagelib import LUA_PATH_DEFAULT, open_package

    monkeypatch.delenv("LUA_PATH_5_4", raising=False)
    monkeypatch.delenv("LUA_PATH", raising=False)
    p = open_package(FakeRT())
    assert p[b"path"] == LUA_PATH_DEFAULT.encode()
    assert p[b"config"] == b"/\n;\n?\n!\n-\n"
    assert p[b"loaded"][b"package"] is p
    assert p[b"searchpath"](b"a.b", b"x/?.lua;;y?") == (None, b"no file 'x/a/b.lua'\n\tno file ''\n\tno file 'ya/b'")
    assert p[b"searchpath"](b"a.b", b"?", b"", b"") == (None, b"no file 'a.b'")
    monkeypatch.setenv("LUA_PATH", "/z/?.lua")
    monkeypatch.setenv("LUA_PATH_5_4", "/a/?.lua;;/b/?.lua")
    assert open_package(FakeRT())[b"path"] == b"/a/?.lua;" + LUA_PATH_DEFAULT.encode() + b";/b/?.lua"
    monkeypatch.delenv("LUA_PATH_5_4")
    assert open_package(FakeRT())[b"path"] == b"/z/?.lua"
    monkeypatch.setenv("LUA_PATH", ";;")
    assert open_package(FakeRT())[b"path"] == LUA_PATH_DEFAULT.encode()
