"""Compiled chunks kept on disk between processes (luavm/diskcache.py): a later process runs the
same code without lark or the compiler, with the same counts, output and tracebacks; files that
are damaged, stale or writable by others are never used; the folder stays bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from luavm import diskcache
from luavm.runtime import LuaRuntime

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """\
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local t = {}
for i = 1, 200 do t[#t + 1] = string.format("%d:%s", i, fib(i % 12)) end
print(#table.concat(t, ","), fib(18))
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
print(co(1), co(5))
print(pcall(function() local x = nil; return x.field end))
print(debug.traceback("here"))
error("the end")
"""

# lark's and the compiler's modules: a cache hit loads none of them
COMPILER_MODULES = "lark", "luavm.compile.parser", "luavm.compile.codegen"


def luavm(folder: Path, script: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, LUAVM_CACHE_DIR=str(folder), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "luavm", *args, str(script)], capture_output=True, env=env,
                          timeout=120)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*" + diskcache.SUFFIX)) if folder.is_dir() else []


def loads_compiler(folder: Path, script: Path) -> bool:
    """Whether a process that loads ``script`` persistently (as the CLI and the plugin host do)
    imports the compiler."""
    code = ("import sys; from luavm.runtime import LuaRuntime; rt = LuaRuntime(); "
            f"rt.load(open({str(script)!r}, 'rb').read(), '@x.lua', persistent=True); "
            f"print(any(m in sys.modules for m in {COMPILER_MODULES!r}))")
    env = dict(os.environ, LUAVM_CACHE_DIR=str(folder), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip() == "True"


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "prog.lua"
    path.write_text(SCRIPT)
    return path


def test_a_second_process_runs_the_cached_code_with_the_same_output_and_counts(tmp_path, script):
    folder = tmp_path / "cache"
    first = luavm(folder, script, "--stats")
    (saved,) = entries(folder)
    stamp = saved.stat().st_mtime_ns
    second = luavm(folder, script, "--stats")
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and b"1173\t2584\n2\t10\nfalse\t" in first.stdout
    # the error, its traceback and the JSON usage line (less its seconds) are the same
    err1, err2 = (p.stderr.decode().splitlines() for p in (first, second))
    stats1, stats2 = (json.loads(e[-1]) for e in (err1, err2))
    assert err1[:-1] == err2[:-1] and "prog.lua:9: the end" in err1[0]
    assert {k: v for k, v in stats1.items() if k != "seconds"} == {k: v for k, v in stats2.items() if k != "seconds"}
    assert entries(folder) == [saved] and saved.stat().st_mtime_ns == stamp  # read, not written
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700) and oct(saved.stat().st_mode & 0o777) == oct(0o600)


def test_a_cache_hit_loads_neither_lark_nor_the_compiler(tmp_path):
    plain = tmp_path / "plain.lua"
    plain.write_text("local s = 0 for i = 1, 10 do s = s + i end print(s)\n")
    folder = tmp_path / "cache"
    assert loads_compiler(folder, plain)
    assert not loads_compiler(folder, plain)


def test_a_limit_stops_cached_code_at_the_same_instruction(tmp_path, script):
    folder = tmp_path / "cache"
    runs = [luavm(folder, script, "--max-instructions", "20000", "--stats") for _ in range(2)]
    assert len(entries(folder)) == 1
    assert all(p.returncode == 3 for p in runs)
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr.splitlines()[:-1] == runs[1].stderr.splitlines()[:-1]
    stats = [json.loads(p.stderr.splitlines()[-1]) for p in runs]
    assert stats[0]["instructions"] == stats[1]["instructions"] == 20000
    assert stats[0]["memory_peak"] == stats[1]["memory_peak"]


def test_a_damaged_file_is_compiled_again_and_rewritten(tmp_path, script):
    folder = tmp_path / "cache"
    want = luavm(folder, script)
    (saved,) = entries(folder)
    good = saved.read_bytes()
    for damage in (b"", b"\x00" * 40, good[: len(good) // 2], good[:-7] + b"garbage"):
        saved.write_bytes(damage)
        got = luavm(folder, script)
        assert (got.stdout, got.stderr, got.returncode) == (want.stdout, want.stderr, want.returncode)
        assert saved.read_bytes() == good  # written again


def test_files_others_may_write_are_never_loaded(tmp_path):
    plain = tmp_path / "plain.lua"
    plain.write_text("print('hello')\n")
    folder = tmp_path / "cache"
    assert loads_compiler(folder, plain)
    (saved,) = entries(folder)
    saved.chmod(0o666)
    assert loads_compiler(folder, plain)  # ignored, and replaced by a file of our own
    saved.chmod(0o600)
    folder.chmod(0o777)
    assert loads_compiler(folder, plain)  # a folder others may write to is not trusted either
    folder.chmod(0o700)
    assert not loads_compiler(folder, plain)


def test_off_writes_nothing(tmp_path, script):
    folder = tmp_path / "cache"
    env = dict(os.environ, LUAVM_CACHE_DIR="off", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "luavm", str(script)], capture_output=True, env=env,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 1 and b"2584" in out.stdout
    assert not folder.exists() and not list(tmp_path.glob("**/*" + diskcache.SUFFIX))


def test_another_build_or_other_options_do_not_share_an_entry(monkeypatch):
    key = (b"return 1", "x.lua", True, True, "@x.lua")
    d = diskcache.digest(key)
    assert diskcache.digest((b"return 1", "x.lua", False, True, "@x.lua")) != d  # _ENV not a table
    assert diskcache.digest((b"return 1", "y.lua", True, True, "@y.lua")) != d
    monkeypatch.setattr(diskcache, "_build", b"another luavm or Python")
    assert diskcache.digest(key) != d
    assert diskcache.chunk_id(d) > 2**128  # never one of the process counter's ids


def test_the_folder_keeps_at_most_max_entries(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LUAVM_CACHE_DIR", str(folder))
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 6)
    rt = LuaRuntime()
    for i in range(20):
        fn = rt.load(f"return {i} * 2".encode(), f"@chunk{i}.lua", persistent=True)
        assert rt.pcall_host(fn) == (i * 2,)
        assert len(entries(folder)) <= 6
    assert entries(folder)


def test_lua_load_is_never_written(tmp_path, monkeypatch):
    """A script's own `load` (one file per string it loads would fill the disk) stays in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LUAVM_CACHE_DIR", str(folder))
    rt = LuaRuntime()
    fn = rt.load(b"local n = 0 for i = 1, 50 do n = n + load('return ' .. i)() end return n", "@main.lua",
                 persistent=True)
    assert rt.pcall_host(fn) == (1275,)
    assert len(entries(folder)) == 1  # main.lua only
