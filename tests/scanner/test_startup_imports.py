"""What a scan imports at start-up (issue 12's small scans are mostly start-up): a plain scan
loads no plugin machinery and no writer it was not asked for; a scan with a plugin whose compiled
code is cached loads neither lark nor luavm's compiler. Read from sys.modules at exit, never timed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# what only plugins, other output formats, resume/cluster, or a settings file need
NOT_FOR_A_PLAIN_SCAN = ("luavm", "lark", "json", "xml.etree.ElementTree", "logging.handlers", "tomllib",
                        "hashlib", "prtip.plugins.manager", "prtip.outputs.xmlout", "prtip.outputs.jsonout",
                        "importlib.resources", "distributed")
COMPILER = ("lark", "luavm.compile.parser", "luavm.compile.codegen", "luavm.compile.lexer")


def imported(tmp_path: Path, *args: str, env: dict | None = None) -> set[str]:
    """The modules loaded by the end of ``prtip ARGS`` (written by an atexit hook)."""
    listing = tmp_path / "modules.txt"
    code = ("import atexit, runpy, sys; "
            f"atexit.register(lambda: open({str(listing)!r}, 'w').write(chr(10).join(sys.modules))); "
            f"sys.argv = ['prtip', *{list(args)!r}]; runpy.run_module('prtip', run_name='__main__')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    assert run.returncode == 0, run.stderr[-2000:]
    return set(listing.read_text().split())


def test_a_plain_scan_imports_only_what_it_uses(tmp_path):
    modules = imported(tmp_path, "-sT", "-n", "-p", "1", "127.0.0.1")
    assert "prtip.outputs.normal" in modules  # the sanity check: the list is read right
    assert not modules & set(NOT_FOR_A_PLAIN_SCAN), sorted(modules & set(NOT_FOR_A_PLAIN_SCAN))


def test_an_output_format_imports_its_own_writer(tmp_path):
    modules = imported(tmp_path, "-sT", "-n", "-p", "1", "-oX", os.devnull, "127.0.0.1")
    assert "prtip.outputs.xmlout" in modules and "prtip.outputs.jsonout" not in modules


def test_a_cached_plugin_loads_neither_lark_nor_the_compiler(tmp_path):
    env = {"LUAVM_CACHE_DIR": str(tmp_path / "cache"), "PRTIP_HOME": str(tmp_path / "home")}
    scan = ("-sT", "-n", "-p", "1", "127.0.0.1", "--plugin", "scan-statistics")
    first = imported(tmp_path, *scan, env=env)
    assert "lark" in first and "luavm.runtime" in first
    assert list((tmp_path / "cache").glob("*.luac"))
    again = imported(tmp_path, *scan, env=env)
    assert "luavm.runtime" in again and not again & set(COMPILER), sorted(again & set(COMPILER))
