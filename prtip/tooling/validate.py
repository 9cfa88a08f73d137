"""`prtip plugin validate`: every problem of a plugin folder, one line each, before anything runs it.

Checks, in order (later ones are skipped when an earlier one makes them meaningless):

1. plugin.toml: prtip.plugins.manifest's strict validation (the scanner's own), so the line
   names the file, the field and, when known, the line (``plugin.toml:4: plugin.version: ...``).
2. main.lua exists and compiles with luavm: a syntax error is reported as ``main.lua:LINE``.
3. The plugin loads in the real plugin host (sandbox, limits, on_load), so a plugin that
   passes here is one a scan can load; its hooks are read from the loaded code.
4. The hooks for the plugin_type exist by name (at least one of them, as the host requires).

Warnings do not fail validation: a hook of another plugin type or a misspelt hook name (never
called), probe_service without the network capability (never called), no on_load, no README.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from luavm import LuaRuntime, LuaSyntaxError

from prtip.plugins.locations import MAIN_FILE, FoundPlugin
from prtip.plugins.errors import ManifestError, PluginLoadError
from prtip.plugins.host import HOOKS, LIFECYCLE, MISNAMED, Plugin
from prtip.plugins.manifest import MANIFEST_FILE, Manifest, load_manifest
from prtip.plugins.settings import PluginSettings, load_settings

README_FILE = "README.md"
_POSITION = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or, with ``warning``, doubtful) in a plugin: file, field, line, message."""

    file: str
    field: str | None
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        kind = " warning:" if self.warning else ""
        return f"{where}:{kind}{field} {self.message}"


@dataclass(frozen=True)
class Report:
    """What validation found: the manifest (when valid), the hooks (when loaded), the problems."""

    folder: Path
    manifest: Manifest | None
    hooks: frozenset[str]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.warning)

    @property
    def ok(self) -> bool:
        return not self.errors


def _syntax_problem(main: Path, value: object) -> Problem:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    m = _POSITION.match(text)
    if m:
        return Problem(str(main), "syntax", int(m["line"]), m["message"])
    return Problem(str(main), "syntax", None, text)


def _load_problem(main: Path, name: str, message: str) -> Problem:
    """A PluginLoadError's message as a Problem, with the line of main.lua when it names one."""
    what, sep, rest = message.partition(": ")
    if not sep or what not in ("main chunk", "on_load"):
        what, rest = "load", message
    m = re.match(re.escape(f"{name}/{MAIN_FILE}") + r":(\d+): (.*)$", rest, re.DOTALL)
    if m:
        return Problem(str(main), what, int(m[1]), m[2])
    return Problem(str(main), what, None, rest)


def validate_plugin(folder: Path, settings: PluginSettings | None = None, *, load: bool = True) -> Report:
    """Validate the plugin in ``folder``; ``load=False`` skips running it (checks 1, 2 and a static 4)."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        return Report(folder, None, frozenset(), (Problem(str(folder), None, None, "not a plugin folder"),))
    manifest = None
    try:
        manifest = load_manifest(folder)
    except ManifestError as exc:
        problems.append(Problem(exc.file, exc.field or None, exc.line, exc.message))
    main = folder / MAIN_FILE
    source = None
    if not main.is_file():
        problems.append(Problem(str(main), None, None, "file not found (every plugin needs main.lua)"))
    else:
        try:
            source = main.read_bytes()
            LuaRuntime(sandbox=True).load(source, "@" + str(main))
        except LuaSyntaxError as exc:
            problems.append(_syntax_problem(main, exc.value))
            source = None
        except OSError as exc:
            problems.append(Problem(str(main), None, None, f"cannot read: {exc.strerror or exc}"))
            source = None
    hooks: frozenset[str] = frozenset()
    if manifest is not None and source is not None:
        if load:
            hooks, problem = _load(folder, manifest, settings)
            if problem is not None:
                problems.append(problem)
        else:
            hooks = static_hooks(source)
            mine = HOOKS[manifest.plugin_type]
            if not hooks & set(mine):
                problems.append(Problem(str(main), "hooks", None, f"a {manifest.plugin_type} plugin must define "
                                        f"at least one of {', '.join(mine)} (found none)"))
        problems += _warnings(folder, manifest, hooks, source)
    return Report(folder, manifest, hooks, tuple(problems))


def _load(folder: Path, manifest: Manifest, settings: PluginSettings | None) -> tuple[frozenset[str], Problem | None]:
    """Load the plugin in the real host; its hooks, or the problem that stopped it."""
    settings = settings if settings is not None else load_settings()
    plugin = Plugin(FoundPlugin(manifest.name, folder, "given", manifest), settings)
    plugin.hot_reload = False
    quiet = logging.getLogger(f"prtip.plugins.{manifest.name}")
    old_level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # validation reports problems itself; the plugin's logs are noise here
    try:
        plugin.load()
    except PluginLoadError as exc:
        problem = _load_problem(folder / MAIN_FILE, manifest.name, exc.message)
        if "must define at least one of" in exc.message:
            problem = Problem(str(folder / MAIN_FILE), "hooks", None,
                              exc.message.split(" (found none")[0] + " (found none)")
        return frozenset(), problem
    finally:
        quiet.setLevel(old_level)
    hooks = plugin.code.hooks if plugin.code else frozenset()
    quiet.setLevel(logging.CRITICAL)
    try:
        plugin.unload()
    finally:
        quiet.setLevel(old_level)
    return hooks, None


_FUNCTION_DEF = re.compile(rb"^\s*function\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(|^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*function\b",
                           re.MULTILINE)


def static_hooks(source: bytes) -> frozenset[str]:
    """Global function names defined at the start of a line (``function name(`` or ``name = function``)."""
    names = set()
    for m in _FUNCTION_DEF.finditer(source):
        names.add((m[1] or m[2]).decode())
    return frozenset(names)


def _warnings(folder: Path, manifest: Manifest, hooks: frozenset[str], source: bytes) -> list[Problem]:
    main = str(folder / MAIN_FILE)
    out: list[Problem] = []
    mine = set(HOOKS[manifest.plugin_type])
    defined = static_hooks(source) | hooks
    for hook in sorted(defined - mine - set(LIFECYCLE)):
        kinds = [k for k, names in HOOKS.items() if hook in names]
        if kinds:
            out.append(Problem(main, hook, None, f"is a {kinds[0]} plugin hook; a {manifest.plugin_type} plugin's "
                               f"{hook} is never called", warning=True))
    for wrong, right in MISNAMED.items():
        if wrong in defined and right not in hooks:
            out.append(Problem(main, wrong, None, f"is not a prtip hook (did you mean {right}?)", warning=True))
    if "probe_service" in hooks and not manifest.has("network"):
        out.append(Problem(str(folder / MANIFEST_FILE), "plugin.capabilities", None,
                           "probe_service is only called for plugins with the network capability", warning=True))
    if "on_load" not in hooks and hooks:
        out.append(Problem(main, "on_load", None, "not defined (the plugin guide's lifecycle function)", warning=True))
    if not (folder / README_FILE).is_file():
        out.append(Problem(str(folder / README_FILE), None, None, "file not found (recommended: how to use the plugin)",
                           warning=True))
    return out
