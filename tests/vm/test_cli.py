"""The luavm command, driven as a user would: real files, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def luavm(*args: str, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "luavm", *args], input=stdin, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)},
                          cwd=cwd or ROOT, timeout=120)


def test_script_with_args_and_arg_table(tmp_path: Path):
    script = tmp_path / "s.lua"
    script.write_bytes(b"print(#arg, arg[0] ~= nil, ...)\n")
    p = luavm(str(script), "a", "b")
    assert p.returncode == 0
    assert p.stdout == b"2\ttrue\ta\tb\n"


def test_error_exit_status_message_and_traceback(tmp_path: Path):
    (tmp_path / "e.lua").write_bytes(b"local x\n\nprint(x.y)\n")
    p = luavm("e.lua", cwd=tmp_path)
    assert p.returncode == 1
    first, *rest = p.stderr.decode().splitlines()
    assert first == "luavm: e.lua:3: attempt to index a nil value (local 'x')"
    assert rest[0] == "stack traceback:"


def test_syntax_error_is_one_lua_style_line(tmp_path: Path):
    (tmp_path / "bad.lua").write_bytes(b"local function f()\n  x = = 1\nend\n")
    p = luavm("bad.lua", cwd=tmp_path)
    assert p.returncode == 1
    assert p.stderr.decode().splitlines()[0] == "luavm: bad.lua:2: unexpected symbol near '='"


def test_dash_e_and_stdin():
    assert luavm("-e", "print(1 + 1)").stdout == b"2\n"
    assert luavm("-", stdin=b"print('from stdin')").stdout == b"from stdin\n"


def test_instruction_limit_exit_status_3_and_stats(tmp_path: Path):
    p = luavm("--max-instructions", "5000", "--stats", "-e", "while true do end")
    assert p.returncode == 3
    lines = p.stderr.decode().splitlines()
    assert lines[0] == "luavm: instruction limit of 5000 exceeded"
    stats = json.loads(lines[-1])
    assert set(stats) == {"instructions", "memory", "memory_peak", "seconds"}
    assert stats["instructions"] <= 5000


def test_unknown_option_is_a_usage_error():
    p = luavm("--frobnicate")
    assert p.returncode == 1  # lua.c's status for a usage error
    assert b"unrecognized option '--frobnicate'" in p.stderr


def test_dump_ast_and_code(tmp_path: Path):
    script = tmp_path / "d.lua"
    script.write_bytes(b"local a = 1 + 2\nprint(a)\n")
    assert b"BinOp" in luavm("--dump-ast", str(script)).stdout
    code = luavm("--dump-code", str(script)).stdout
    assert b"def " in code and b"_chk" in code


def test_non_utf8_bytes_round_trip(tmp_path: Path):
    script = tmp_path / "b.lua"
    script.write_bytes(b'io.write("\xff\xfe\x00ok")\n')
    p = luavm(str(script))
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"\xff\xfe\x00ok"
