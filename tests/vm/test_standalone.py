"""`luavm` as the stand-alone interpreter: every case runs the real command line under luavm and
under lua5.4 (when installed) and the two must agree: output, messages, exit status.

lua5.4 runs with argv[0] "lua5.4" and luavm as ``python -m luavm`` (program name "luavm"), so
the only expected difference, the program name, is normalized away.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LUA = "/usr/bin/lua5.4"
HAVE_LUA = os.access(LUA, os.X_OK)
needs_lua = pytest.mark.skipif(not HAVE_LUA, reason="lua5.4 not installed")
BASE_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C", "PYTHONPATH": str(ROOT)}


def argv_of(which: str, args: list[str]) -> list[str]:
    return ["lua5.4", *args] if which == "lua" else [sys.executable, "-m", "luavm", *args]


def run(which: str, args: list[str], *, stdin: bytes = b"", env: dict[str, str] | None = None,
        cwd: Path | None = None) -> tuple[bytes, bytes, int]:
    proc = subprocess.run(argv_of(which, args), executable=LUA if which == "lua" else None,
                          input=stdin, capture_output=True, cwd=cwd or ROOT, timeout=120,
                          env={**BASE_ENV, **(env or {})})
    out, err = proc.stdout, proc.stderr
    if which == "lua":
        out, err = out.replace(b"lua5.4", b"luavm"), err.replace(b"lua5.4", b"luavm")
    return out, err, proc.returncode


def same(args: list[str], **kw) -> tuple[bytes, bytes, int]:
    """Run under both; assert they agree; return luavm's result."""
    got = run("luavm", args, **kw)
    if HAVE_LUA:
        assert got == run("lua", args, **kw), args
    return got


def test_arg_table_with_options_before_the_script(tmp_path: Path):
    (tmp_path / "s.lua").write_bytes(b"for i = -3, #arg do print(i, arg[i]) end print(y, ...)\n")
    out, err, code = same(["-e", "y=1", "s.lua", "a", "b"], cwd=tmp_path)
    assert code == 0 and err == b""
    assert out.splitlines()[:4] == [b"-3\tluavm", b"-2\t-e", b"-1\ty=1", b"0\ts.lua"]
    assert out.endswith(b"1\ta\tb\n")


def test_arg_table_without_script_and_after_double_dash(tmp_path: Path):
    assert same(["-e", "print(arg[0], arg[1], arg[2], #arg)"])[0] == b"luavm\t-e\tprint(arg[0], arg[1], arg[2], #arg)\t2\n"
    (tmp_path / "-").write_bytes(b"print('file named -', ...)\n")
    assert same(["--", "-", "x"], cwd=tmp_path)[0] == b"file named -\tx\n"
    assert same(["-", "-h"], stdin=b"print(arg[0], ...)")[0] == b"-\t-h\n"


def test_lua_init_forms_and_minus_E(tmp_path: Path):
    (tmp_path / "p.lua").write_bytes(b"print(X, package.path == os.getenv('LUA_PATH'))\n")
    (tmp_path / "init.lua").write_bytes(b"X = 'from file'\n")
    assert same(["p.lua"], env={"LUA_INIT": "X=tonumber(arg[1])"}, cwd=tmp_path)[0] == b"nil\tfalse\n"
    assert same(["p.lua", "3.5"], env={"LUA_INIT": "X=tonumber(arg[1])"}, cwd=tmp_path)[0] == b"3.5\tfalse\n"
    both = {"LUA_INIT_5_4": "X=10", "LUA_INIT": "X=3"}
    assert same(["p.lua"], env=both, cwd=tmp_path)[0] == b"10\tfalse\n"
    assert same(["p.lua"], env={"LUA_INIT": "@init.lua"}, cwd=tmp_path)[0] == b"from file\tfalse\n"
    assert same(["p.lua"], env={"LUA_PATH": "x"}, cwd=tmp_path)[0] == b"nil\ttrue\n"
    # -E: no LUA_INIT, and the default paths whatever LUA_PATH says
    out = same(["-E", "p.lua"], env={"LUA_INIT": "error(10)", "LUA_PATH": "x"}, cwd=tmp_path)[0]
    assert out == b"nil\tfalse\n"
    out, err, code = same(["p.lua"], env={"LUA_INIT": "error('msg')"}, cwd=tmp_path)
    assert code == 1 and out == b"" and err.startswith(b"luavm: LUA_INIT:1: msg\nstack traceback:\n")
    out, err, code = same(["p.lua"], env={"LUA_INIT": "@missing.lua"}, cwd=tmp_path)
    assert (code, err) == (1, b"luavm: cannot open missing.lua: No such file or directory\n")


def test_dash_l_requires_into_globals(tmp_path: Path):
    (tmp_path / "mod.lua").write_bytes(b"print('loading', ...) return {x = 15}\n")
    env = {"LUA_PATH": "./?.lua", "LUA_CPATH": "./?.so"}
    out = same(["-l", "mod", "-lstring", "-e", "print(mod.x, string.upper'a')"], env=env, cwd=tmp_path)[0]
    assert out == b"loading\tmod\t./mod.lua\n15\tA\n"
    out = same(["-l", "m=mod", "-l", "str=string", "-e", "print(m.x, str.rep('ab', 2), mod)"],
               env=env, cwd=tmp_path)[0]
    assert out == b"loading\tmod\t./mod.lua\n15\tabab\tnil\n"
    out, err, code = same(["-l", "nosuch"], env=env, cwd=tmp_path)
    assert code == 1 and err.startswith(b"luavm: module 'nosuch' not found:\n\tno field package.preload['nosuch']\n")


def test_warnings_need_minus_W(tmp_path: Path):
    script = b'warn("@off", "XXX") warn("plain") warn("@on") warn("", "@on") warn("Z", "Z")\n'
    (tmp_path / "w.lua").write_bytes(script)
    assert same(["w.lua"], cwd=tmp_path)[1] == b"Lua warning: @on\nLua warning: ZZ\n"
    assert same(["-W", "w.lua"], cwd=tmp_path)[1] == (
        b"Lua warning: @offXXX\nLua warning: plain\nLua warning: @on\nLua warning: ZZ\n")


@pytest.mark.parametrize("args, message", [
    (["-h"], b"unrecognized option '-h'"), (["---"], b"unrecognized option '---'"),
    (["-Ex"], b"unrecognized option '-Ex'"), (["-vv"], b"unrecognized option '-vv'"),
    (["-iv"], b"unrecognized option '-iv'"), (["-e"], b"'-e' needs argument"),
    (["-l"], b"'-l' needs argument"), (["-e", "-i"], b"'-e' needs argument"),
])
def test_usage_errors_as_lua_c(args: list[str], message: bytes):
    got = run("luavm", args)
    assert got[2] == 1 and got[0] == b""
    lines = got[1].split(b"\n")
    assert lines[0] == b"luavm: " + message
    assert lines[1] == b"usage: luavm [options] [script [args]]"
    if HAVE_LUA:
        ref = run("lua", args)
        assert ref[2] == 1
        assert got[1].startswith(ref[1])  # lua.c's text, then luavm's own options


def test_error_messages_and_objects(tmp_path: Path):
    for source in (b"error('boom')", b"error({})", b"error(42)", b"error()", b"local t = nil\nt.x = 1",
                   b"error(setmetatable({}, {__tostring = function () return 'custom' end}))",
                   b"error(setmetatable({}, {__tostring = function () return 1 end}))",
                   b"x = = 1", b"#!shebang line\nerror('line 2')"):
        (tmp_path / "e.lua").write_bytes(source)
        out, err, code = same(["e.lua"], cwd=tmp_path)
        assert code == 1 and err.startswith(b"luavm: "), source
    assert same(["nofile.lua"])[1] == b"luavm: cannot open nofile.lua: No such file or directory\n"
    assert same(["-e", "x="])[1] == b"luavm: (command line):1: unexpected symbol near <eof>\n"


def test_stdin_as_a_file_without_a_terminal():
    assert same([], stdin=b"print(10)\nprint(2)\n")[0] == b"10\n2\n"
    assert same(["-"], stdin=b"print(\n1, a\n)")[0] == b"1\tnil\n"
    assert same(["-e", "arg[1] = 100", "-"], stdin=b"print(...)")[0] == b"100\n"
    out, err, code = same(["-e", "arg = 1", "-"], stdin=b"")
    assert code == 1 and err == b"luavm: 'arg' is not a table\n"


def test_repl_without_a_terminal_echoes_like_lua5_4_readline():
    session = (b"x =\n10\nprint(x)\n=x + 1\nx, 2\nerror('e')\nerror({})\nlocal a <const> = 1; a = 2\n"
               b"_PROMPT='$ ' _PROMPT2=setmetatable({},{__tostring=function()return'+ 'end})\n"
               b"for i = 1, 2 do\nprint(i)\nend\nreturn\n")
    got = run("luavm", ["-i"], stdin=session)
    out, err, code = got
    assert code == 0
    assert out.split(b"\n", 1)[1].startswith(b"> x =\n>> 10\n> print(x)\n10\n> =x + 1\n11\n> x, 2\n10\t2\n")
    assert b"$ for i = 1, 2 do\n+ print(i)\n+ end\n1\n2\n$ return\n$ \n" in out
    assert err.startswith(b"stdin:1: e\nstack traceback:\n")
    assert b"\n(error object is a table value)\n" in err
    assert b"stdin:1: attempt to assign to const variable 'a'\n" in err
    if HAVE_LUA:
        ref = run("lua", ["-i"], stdin=session)
        assert (ref[0].split(b"\n", 1)[1], ref[1], ref[2]) == (out.split(b"\n", 1)[1], err, code)


def test_repl_error_calling_print():
    out, err, code = run("luavm", ["-e", "print=nil", "-i"], stdin=b"10\n")
    assert code == 0 and err == b"error calling 'print' (attempt to call a nil value)\n"
    if HAVE_LUA:
        assert run("lua", ["-e", "print=nil", "-i"], stdin=b"10\n")[1:] == (err, code)


def _pty_session(argv: list[str], lines: list[bytes], executable: str | None = None) -> bytes:
    """Type ``lines`` into the interpreter on a pseudo-terminal, each after the next prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the interpreter on a terminal
        os.environ.update(BASE_ENV, TERM="dumb")
        os.execv(executable or argv[0], argv)
    out = b""

    def read_until_prompt(start: int, seconds: float = 30.0) -> None:
        nonlocal out
        end = time.monotonic() + seconds
        while not out[start:].endswith((b"> ", b">> ")) and time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:  # the child closed the terminal
                    return
                if not data:
                    return
                out += data

    try:
        read_until_prompt(0)
        for line in lines:
            mark = len(out)
            os.write(fd, line)
            read_until_prompt(mark + len(line))
        mark = len(out)
        os.write(fd, b"\x04")  # end of input: the REPL prints a newline and exits
        read_until_prompt(mark, 2.0)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    return out


def test_repl_on_a_terminal():
    lines = [b"1 + 1\n", b"t = {\n", b"}\n", b"=#t\n", b"error('e')\n", b"print(1, 2)\n"]
    got = _pty_session([sys.executable, "-m", "luavm"], lines)
    assert got.startswith(b"luavm ")
    body = got.split(b"\r\n", 1)[1]
    assert body.startswith(b"> 1 + 1\r\n2\r\n> t = {\r\n>> }\r\n> =#t\r\n0\r\n> error('e')\r\nstdin:1: e\r\n")
    if HAVE_LUA:
        ref = _pty_session(["lua5.4"], lines, executable=LUA)
        assert ref.split(b"\r\n", 1)[1] == body


def test_os_exit_statuses_and_closing(tmp_path: Path):
    for source, status in ((b"os.exit()", 0), (b"os.exit(true)", 0), (b"os.exit(false)", 1), (b"os.exit(7)", 7),
                           (b"os.exit(256 + 3)", 3), (b"os.exit(nil, true)", 0), (b"os.exit(1, true)", 1)):
        (tmp_path / "x.lua").write_bytes(source)
        assert same(["x.lua"], cwd=tmp_path) == (b"", b"", status), source
    (tmp_path / "c.lua").write_bytes(
        b"local x <close> = setmetatable({}, {__close = function (_, e) print('Ok', e) end})\n"
        b"local y <close> = setmetatable({}, {__close = function () print(120) end})\n"
        b"io.write('buffered') os.exit(true, true)\n")
    assert same(["c.lua"], cwd=tmp_path) == (b"buffered120\nOk\tnil\n", b"", 0)
    (tmp_path / "n.lua").write_bytes(
        b"local x <close> = setmetatable({}, {__close = function () print('not closed') end})\nos.exit(2)\n")
    assert same(["n.lua"], cwd=tmp_path) == (b"", b"", 2)


def test_open_files_are_flushed_when_the_state_closes(tmp_path: Path):
    out = tmp_path / "out.txt"
    (tmp_path / "f.lua").write_bytes(b"io.output('%s') io.write('alo') local f = io.open('g.txt', 'w') f:write('g')\n"
                                     % str(out).encode())
    for which in ("luavm", "lua") if HAVE_LUA else ("luavm",):
        assert run(which, ["f.lua"], cwd=tmp_path)[2] == 0
        assert out.read_bytes() == b"alo" and (tmp_path / "g.txt").read_bytes() == b"g"
        out.unlink()


def _interrupt(which: str, code: str) -> tuple[bytes, bytes, int]:
    """Start ``code``; at its first line send SIGINT, at its second line SIGINT again; return
    (second line, what followed, exit status)."""
    proc = subprocess.Popen(argv_of(which, ["-e", code]), executable=LUA if which == "lua" else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BASE_ENV, cwd=ROOT)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"12\n"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        caught = proc.stdout.readline()
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return caught, rest, proc.returncode


def test_ctrl_c_interrupts_lua_code_with_a_catchable_error_then_kills():
    """lua.c: the first Ctrl-C raises "interrupted!" at the next instruction (pcall catches
    it); its handler is reset at once, so the second Ctrl-C kills the process."""
    code = ("io.stdout:setvbuf('no') print(12) print(pcall(function () while true do end end)) "
            "while true do end")
    got = _interrupt("luavm", code)
    assert got == (b"false\tinterrupted!\n", b"", -signal.SIGINT)
    if HAVE_LUA:
        assert _interrupt("lua", code) == got


def test_version_line_and_luavm_options_together(tmp_path: Path):
    out, err, code = run("luavm", ["-v", "-e", "print'hello'"])
    assert code == 0 and out.endswith(b"PUC-Rio\nhello\n") and out.startswith(b"luavm ")
    out, err, code = run("luavm", ["--max-instructions", "1000", "-e", "while true do end"])
    assert code == 3 and err == b"luavm: instruction limit of 1000 exceeded\n"
    out, err, code = run("luavm", ["--sandbox", "-e", "print(io, os, arg)"])
    assert (out, code) == (b"nil\tnil\tnil\n", 0)
