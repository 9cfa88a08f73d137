"""`prtip plugin test`: run a plugin's test_*.lua files with luavm, in the plugin's sandbox.

Each test file runs in a fresh runtime built as the plugin host builds one (luavm's sandbox,
verified by prtip/plugins/sandbox.py; the plugin's limits from config.toml, by default
``Limits.plugin_default()``; the scanner's own PluginApi with the test policy of testapi.py).
A whole test file has the budget of one hook call. So a plugin that uses ``os``, reaches
``io`` without the filesystem capability, loops past its instruction limit or gives
add_result a value the scan refuses fails its test as it would fail in a scan. The plugin
guide's unit test works as written::

    package.path = package.path .. ";./?.lua"
    local my_plugin = require("main")
    my_plugin.analyze_banner("HTTP/1.1 200 OK\\r\\n...")

- The test file's environment adds two test-only names on top of the plugin's globals:
  ``package`` (a table with a ``path`` string, so the guide's first line runs) and
  ``require``, which knows one module: ``require("main")`` runs main.lua as the host does
  (in the plugin's own globals, once) and returns its return value or, as a plain main.lua
  returns nothing, the plugin's globals, where its functions are. main.lua itself does not
  see ``require`` or ``package``: in a scan a plugin is its main.lua alone.
- ``io`` (with the filesystem capability) is confined to a temporary data folder, where
  relative paths point; it is removed after the file ran.

A test passes when its chunk returns without error.
"""

from __future__ import annotations

import io
import logging
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from luavm import LimitExceeded, LuaError, LuaRuntime, LuaSyntaxError, lua_function

from prtip.plugins.api import PluginApi
from prtip.plugins.context import ScanContext
from prtip.plugins.locations import MAIN_FILE
from prtip.plugins.errors import ManifestError
from prtip.plugins.manifest import MANIFEST_FILE, Manifest, folder_name, load_manifest, parse_manifest
from prtip.plugins.sandbox import verify
from prtip.plugins.settings import load_settings
from prtip.tooling.testapi import TestPolicy

TEST_GLOB = "test_*.lua"

# The test file's environment: the test-only names, then the plugin's globals.
PRELUDE = b"""
local plugin_globals, require = ...
return setmetatable({ require = require, package = { path = "./?.lua", loaded = {} } },
                    { __index = plugin_globals })
"""


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


def _manifest(folder: Path) -> Manifest:
    """The plugin's manifest, from plugin.toml when it can be read at all."""
    try:
        return load_manifest(folder)
    except ManifestError:
        pass
    try:  # a manifest whose only fault is the folder name (a checkout called "repo")
        file = folder / MANIFEST_FILE
        return parse_manifest(file.read_text(encoding="utf-8"), file)
    except (OSError, UnicodeDecodeError, ManifestError):
        return Manifest(folder_name(folder), "0.0.0", "", "", "detection")


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "nil" if value is None else str(value)


def _require(rt: LuaRuntime, folder: Path):
    """The test-only ``require``: "main" only, run once in the plugin's globals."""
    loaded: list = []

    def require(*args: object) -> tuple:
        name = args[0] if args else None
        if name != b"main":
            shown = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
            raise LuaError(f"module '{shown}' not found: a plugin is its {MAIN_FILE} alone "
                           "(plugin tests can require only \"main\")", level=1)
        if not loaded:
            try:
                source = (folder / MAIN_FILE).read_bytes()
            except OSError as exc:
                raise LuaError(f"cannot read {MAIN_FILE}: {exc.strerror or exc}", level=1) from None
            values = rt.call(rt.load(source, "@" + MAIN_FILE), b"main")
            loaded.append(values[0] if values and values[0] is not None else rt.globals)
        return (loaded[0],)

    return lua_function(require, "require")


def run_test_file(folder: Path, test_file: Path, seconds: float | None = None) -> LuaTestResult:
    """Run one test file of the plugin in ``folder`` (``seconds`` overrides the time limit)."""
    test_file = Path(test_file)
    if not test_file.is_absolute():  # relative to the plugin folder, else to the current directory
        test_file = folder / test_file if (folder / test_file).is_file() else test_file.resolve()
    folder = folder.resolve()
    manifest = _manifest(folder)
    out = io.BytesIO()
    error = traceback = None
    with tempfile.TemporaryDirectory(prefix="prtip-plugin-test-") as home:
        settings = replace(load_settings(), home=Path(home))
        limits = settings.limits_for(manifest.name)
        if seconds is not None:
            limits = replace(limits, seconds=seconds)
        rt = LuaRuntime(sandbox=True, limits=limits, stdout=out, stderr=out, stdin=io.BytesIO())
        policy = TestPolicy()
        api = PluginApi(rt, manifest, settings, ScanContext(), logging.getLogger(f"prtip.plugins.{manifest.name}"),
                        policy)
        try:
            verify(rt)
            api.install()
            policy.install(api)
            source = test_file.read_bytes()
            (env,) = rt.pcall_host(rt.load(PRELUDE, "=(prtip plugin test)"), rt.globals, _require(rt, folder))
            chunk = rt.load(source, "@" + test_file.name, env)
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
            api.close()
            rt.close()
    return LuaTestResult(test_file, error is None, out.getvalue().decode("utf-8", "replace"), error, traceback)


def find_test_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(TEST_GLOB) if p.is_file())


def run_plugin_tests(folder: Path, seconds: float | None = None) -> list[LuaTestResult]:
    """Every test_*.lua of the plugin folder, in name order."""
    return [run_test_file(folder, f, seconds) for f in find_test_files(folder)]
