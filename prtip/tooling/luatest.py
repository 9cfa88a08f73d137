"""`prtip plugin test`: run a plugin's test_*.lua files with luavm, no native Lua needed.

Each test file runs in its own LuaRuntime in standalone mode (the full standard library, as
``lua test_my_plugin.lua`` would have), with the working directory set to the plugin folder
and these additions, so the plugin guide's unit test works as written::

    package.path = package.path .. ";./?.lua"
    local my_plugin = require("main")
    my_plugin.analyze_banner("HTTP/1.1 200 OK\\r\\n...")

- ``require("main")`` loads main.lua in a fresh environment (its globals fall back to the
  test's) and, because a plugin's main.lua defines global functions and returns nothing,
  returns that environment: the table of the plugin's functions. A main.lua that returns a
  value gets that value back, as plain Lua would.
- the plugin folder comes first in ``package.path``, so helper modules next to main.lua load
  wherever the command was started.
- ``prtip`` is the test stub of stub.py (logs and results kept for asserts, real sockets to
  loopback only, the plugin's own capabilities enforced).

A test passes when its chunk returns without error. Limits: a wall-clock limit per file
(60 s by default) so a stuck test ends; no instruction limit (tests may loop a lot).
"""

from __future__ import annotations

import io
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from luavm import LimitExceeded, Limits, LuaError, LuaRuntime, LuaSyntaxError

from prtip.plugins.errors import ManifestError
from prtip.plugins.manifest import MANIFEST_FILE, folder_name, load_manifest, parse_manifest
from prtip.tooling.stub import PrtipStub

TEST_GLOB = "test_*.lua"
DEFAULT_SECONDS = 60.0

# Loads main.lua the way the plugin host does (its own globals), returns its functions.
PRELUDE = b"""
local plugin_dir = ...
package.path = plugin_dir .. "/?.lua;" .. plugin_dir .. "/?/init.lua;" .. package.path
package.preload["main"] = function(name)
  local env = setmetatable({}, { __index = _G })
  local chunk, err = loadfile("main.lua", "t", env)
  if not chunk then error(err, 0) end
  local value = chunk(name)
  if value == nil then return env end
  return value
end
"""

_cwd_lock = threading.Lock()  # the working directory is per process: one test file at a time


@dataclass(frozen=True)
class LuaTestResult:
    """One test file's run: what it printed and, when it failed, the Lua error and traceback."""

    file: Path
    ok: bool
    output: str
    error: str | None = None
    traceback: str | None = None

    def report(self) -> str:
        """The lines `prtip plugin test` shows for this file."""
        head = f"{'PASS' if self.ok else 'FAIL'} {self.file.name}"
        lines = [head] + [f"  {line}" for line in self.output.splitlines()]
        if self.error is not None:
            lines.append(f"  error: {self.error}")
            if self.traceback:
                lines += [f"  {line}" for line in self.traceback.splitlines()]
        return "\n".join(lines)


@contextmanager
def in_directory(folder: Path) -> Iterator[None]:
    with _cwd_lock:
        old = os.getcwd()
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(old)


def _identity(folder: Path) -> tuple[str, frozenset[str]]:
    """The plugin's name and capabilities, from plugin.toml when it can be read at all."""
    try:
        m = load_manifest(folder)
        return m.name, m.capabilities
    except ManifestError:
        pass
    try:  # a manifest whose only fault is the folder name (a checkout called "repo")
        file = folder / MANIFEST_FILE
        m = parse_manifest(file.read_text(encoding="utf-8"), file)
        return m.name, m.capabilities
    except (OSError, UnicodeDecodeError, ManifestError):
        return folder_name(folder), frozenset()


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "nil" if value is None else str(value)


def run_test_file(folder: Path, test_file: Path, seconds: float = DEFAULT_SECONDS) -> LuaTestResult:
    """Run one test file of the plugin in ``folder``."""
    test_file = Path(test_file)
    if not test_file.is_absolute():  # relative to the plugin folder, else to the current directory
        test_file = folder / test_file if (folder / test_file).is_file() else test_file.resolve()
    folder = folder.resolve()
    name, capabilities = _identity(folder)
    out = io.BytesIO()
    rt = LuaRuntime(sandbox=False, limits=Limits(seconds=seconds), stdout=out, stderr=out,
                    stdin=io.BytesIO(), script_args=[test_file.name])
    stub = PrtipStub(rt, name, capabilities)
    rt.globals[b"prtip"] = stub.table
    error = traceback = None
    try:
        with in_directory(folder):
            source = test_file.read_bytes()
            rt.pcall_host(rt.load(PRELUDE, "=(prtip plugin test)"), str(folder).encode())
            chunk = rt.load(source, "@" + test_file.name)
            rt.reset_budget()
            rt.pcall_host(chunk)
    except LuaSyntaxError as exc:
        error = _text(exc.value)
    except LuaError as exc:
        error, traceback = _text(exc.value), exc.traceback
    except LimitExceeded as exc:
        error = f"{test_file.name}: {exc}"
    except RecursionError:
        error = f"{test_file.name}: stack overflow"
    except OSError as exc:
        error = f"cannot read {test_file}: {exc.strerror or exc}"
    finally:
        stub.close_all()
        rt.close()
    return LuaTestResult(test_file, error is None, out.getvalue().decode("utf-8", "replace"), error, traceback)


def find_test_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(TEST_GLOB) if p.is_file())


def run_plugin_tests(folder: Path, seconds: float = DEFAULT_SECONDS) -> list[LuaTestResult]:
    """Every test_*.lua of the plugin folder, in name order."""
    return [run_test_file(folder, f, seconds) for f in find_test_files(folder)]
