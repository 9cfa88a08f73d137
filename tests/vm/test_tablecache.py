"""The grammar's LALR tables kept between processes (luavm/compile/tablecache.py): built once,
loaded afterwards, never loaded from a file somebody else may write, rebuilt when damaged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from luavm.compile import tablecache

SCRIPT = "local t = {} for i = 1, 3 do t[#t + 1] = i * 2 end print(table.concat(t, ','))"


def luavm(env_dir, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, LUAVM_CACHE_DIR=str(env_dir))
    return subprocess.run([sys.executable, "-m", "luavm", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def cached(folder) -> list:
    return sorted(folder.glob("lua54-grammar-*.pickle")) if folder.is_dir() else []


def test_the_first_process_saves_the_tables_and_the_next_one_loads_them(tmp_path):
    folder = tmp_path / "cache"
    first = luavm(folder, "-e", SCRIPT)
    assert first.returncode == 0 and first.stdout == "2,4,6\n"
    (saved,) = cached(folder)
    stamp = saved.stat().st_mtime_ns
    second = luavm(folder, "-e", SCRIPT)
    assert second.returncode == 0 and second.stdout == "2,4,6\n" and second.stderr == ""
    assert saved.stat().st_mtime_ns == stamp  # read, not written again
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)


def test_a_damaged_file_is_rebuilt_and_syntax_errors_read_the_same(tmp_path):
    folder = tmp_path / "cache"
    luavm(folder, "-e", SCRIPT)
    (saved,) = cached(folder)
    saved.write_bytes(b"not lark's\n" + os.urandom(200))
    broken = luavm(folder, "-e", "x = = 1")
    assert broken.returncode == 1 and broken.stderr.splitlines()[-1] == \
        "luavm: (command line):1: unexpected symbol near '='"
    assert luavm(folder, "-e", SCRIPT).stdout == "2,4,6\n"
    assert saved.read_bytes()[:11] != b"not lark's\n"  # saved again


def test_a_file_others_may_write_is_never_loaded(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LUAVM_CACHE_DIR", str(folder))
    grammar = "start: 'x'"
    path = tablecache.tables_file(grammar)
    assert path and os.path.dirname(path) == str(folder)
    open(path, "wb").close()
    os.chmod(path, 0o666)
    assert tablecache.tables_file(grammar) is False
    os.chmod(path, 0o600)
    assert tablecache.tables_file(grammar) == path
    os.chmod(folder, 0o777)
    assert tablecache.tables_file(grammar) is False
    os.chmod(folder, 0o700)
    os.unlink(path)
    os.symlink(tmp_path / "elsewhere", path)
    assert tablecache.tables_file(grammar) is False


@pytest.mark.parametrize("off", ["off", ""])
def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, off):
    monkeypatch.setenv("LUAVM_CACHE_DIR", off)
    assert tablecache.tables_file("start: 'x'") is False
    env = dict(os.environ, LUAVM_CACHE_DIR=off, HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    run = subprocess.run([sys.executable, "-m", "luavm", "-e", SCRIPT], capture_output=True, text=True, env=env,
                         timeout=60)
    assert run.stdout == "2,4,6\n" and not (tmp_path / "xdg").exists() and not (tmp_path / ".cache").exists()
