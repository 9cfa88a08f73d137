"""plugin.toml: parsing with tomllib and strict validation into a frozen Manifest.

Strict because a manifest is a security declaration: a misspelt ``capabilites`` silently
meaning "no capabilities" (or a typo in ``plugin_type`` meaning "no hooks called") would
hide the author's intent. Every error names the file, the field and, whenever the field can
be found in the text (always for TOML syntax errors), the line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from prtip import __version__
from prtip.plugins.errors import ManifestError

MANIFEST_FILE = "plugin.toml"
MAX_MANIFEST_BYTES = 256 * 1024
PLUGIN_TYPES = ("scan", "output", "detection")
CAPABILITIES = ("network", "filesystem", "system", "database")
LUA_VERSIONS = ("5.4",)
DEFAULT_LICENSE = "GPL-3.0"
MAX_DESCRIPTION = 80
MAX_NAME = 64

# lowercase words joined by single hyphens: no dots, slashes, spaces or leading hyphen, so a
# name is always a safe single path component (it names folders and log entries).
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# semver.org's grammar (major.minor.patch, optional -prerelease and +build)
SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")

PLUGIN_FIELDS = {"name", "version", "author", "description", "license", "plugin_type", "capabilities",
                 "dependencies", "metadata"}
DEPENDENCY_FIELDS = {"min_prtip_version", "lua_version"}
TOP_LEVEL = {"plugin", "config"}


@dataclass(frozen=True)
class Manifest:
    """A validated plugin.toml. ``config`` is the top-level [config] table for on_load."""

    name: str
    version: str
    author: str
    description: str
    plugin_type: str
    capabilities: frozenset[str] = frozenset()
    license: str = DEFAULT_LICENSE
    min_prtip_version: str | None = None
    lua_version: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    config: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None  # the plugin.toml it came from

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


def semver_key(version: str) -> tuple:
    """Ordering key for semantic versions (prereleases sort before their release)."""
    m = SEMVER_RE.match(version)
    if not m:
        raise ValueError(f"not a semantic version: {version!r}")
    major, minor, patch, pre = int(m[1]), int(m[2]), int(m[3]), m[4]
    if pre is None:
        return (major, minor, patch, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (major, minor, patch, 0, parts)


def prtip_version() -> str:
    """The running prtip's version."""
    return __version__


def field_line(text: str, section: str, key: str | None) -> int | None:
    """The line where ``key`` is set in ``[section]`` (or the section header), if findable."""
    current = ""
    header_line = None
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and not line.startswith("[["):
            current = line.strip("[] \t").split("#")[0].strip().strip("]").strip()
            current = re.sub(r"\s*\.\s*", ".", current)
            if current == section and header_line is None:
                header_line = no
            full = f"{section}.{key}" if section else key
            if key is not None and (current == full or current.startswith(f"{full}.")):
                return no  # the field is itself a table: [section.key]
            continue
        if key is not None and current == section:
            m = re.match(r'^("?)([A-Za-z0-9_-]+)\1\s*=', line)
            if m and m.group(2) == key:
                return no
        if key is not None and section == "" and current == "":
            m = re.match(r'^("?)([A-Za-z0-9_.-]+)\1\s*=', line)
            if m and m.group(2) == key:
                return no
    return header_line


class _Checker:
    """Validation state for one file: raises ManifestError with file, field and line."""

    def __init__(self, file: Path, text: str) -> None:
        self.file, self.text = str(file), text

    def fail(self, section: str, key: str | None, message: str) -> ManifestError:
        dotted = f"{section}.{key}" if section and key else (key or section)
        return ManifestError(self.file, dotted, field_line(self.text, section, key), message)

    def string(self, table: Mapping[str, Any], section: str, key: str, *, required: bool,
               default: str | None = None) -> str | None:
        if key not in table:
            if required:
                raise self.fail(section, key, "required field is missing")
            return default
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(section, key, f"must be a string, not {_toml_type(value)}")
        if required and not value.strip():
            raise self.fail(section, key, "must not be empty")
        return value

    def table(self, parent: Mapping[str, Any], section: str, key: str) -> Mapping[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(section, key, f"must be a table, not {_toml_type(value)}")
        return value

    def unknown(self, table: Mapping[str, Any], section: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(section, key, f"unknown field (known fields: {known})")


def _toml_type(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)


def parse_manifest(text: str, file: Path, folder_name: str | None = None) -> Manifest:
    """Validate plugin.toml text; ``folder_name`` (when given) must equal the plugin's name."""
    check = _Checker(file, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        if m is None and "end of document" in msg:
            line = text.count("\n") + 1
        msg = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", msg)
        raise ManifestError(str(file), "", line, f"invalid TOML: {msg}") from None
    check.unknown(data, "", TOP_LEVEL)
    if "plugin" not in data:
        raise ManifestError(str(file), "plugin", None, "required table [plugin] is missing")
    plugin = check.table(data, "", "plugin")
    check.unknown(plugin, "plugin", PLUGIN_FIELDS)

    name = check.string(plugin, "plugin", "name", required=True)
    assert name is not None
    if len(name) > MAX_NAME or not NAME_RE.match(name):
        raise check.fail("plugin", "name", f"{name!r} is not a valid plugin name (lowercase letters, digits "
                         f"and single hyphens, starting with a letter, at most {MAX_NAME} characters)")
    if folder_name is not None and name != folder_name:
        raise check.fail("plugin", "name", f"{name!r} does not match its folder name {folder_name!r}")

    version = check.string(plugin, "plugin", "version", required=True)
    assert version is not None
    if not SEMVER_RE.match(version):
        raise check.fail("plugin", "version", f"{version!r} is not a semantic version (major.minor.patch)")

    author = check.string(plugin, "plugin", "author", required=True)
    description = check.string(plugin, "plugin", "description", required=True)
    assert author is not None and description is not None
    if "\n" in description or "\r" in description:
        raise check.fail("plugin", "description", "must be a single line")
    if len(description) > MAX_DESCRIPTION:
        raise check.fail("plugin", "description",
                         f"is {len(description)} characters long (at most {MAX_DESCRIPTION})")
    license_ = check.string(plugin, "plugin", "license", required=False, default=DEFAULT_LICENSE)

    plugin_type = check.string(plugin, "plugin", "plugin_type", required=True)
    if plugin_type not in PLUGIN_TYPES:
        raise check.fail("plugin", "plugin_type",
                         f"{plugin_type!r} is not a plugin type (scan, output or detection)")

    caps = plugin.get("capabilities", [])
    if not isinstance(caps, list):
        raise check.fail("plugin", "capabilities", f"must be an array of strings, not {_toml_type(caps)}")
    for cap in caps:
        if not isinstance(cap, str):
            raise check.fail("plugin", "capabilities", f"must be an array of strings, found {_toml_type(cap)}")
        if cap not in CAPABILITIES:
            raise check.fail("plugin", "capabilities",
                             f"unknown capability {cap!r} (known: {', '.join(CAPABILITIES)})")
    if len(set(caps)) != len(caps):
        raise check.fail("plugin", "capabilities", "lists a capability twice")

    deps = check.table(plugin, "plugin", "dependencies")
    check.unknown(deps, "plugin.dependencies", DEPENDENCY_FIELDS)
    min_version = check.string(deps, "plugin.dependencies", "min_prtip_version", required=False)
    if min_version is not None:
        if not SEMVER_RE.match(min_version):
            raise check.fail("plugin.dependencies", "min_prtip_version",
                             f"{min_version!r} is not a semantic version (major.minor.patch)")
        running = prtip_version()
        if semver_key(min_version) > semver_key(running):
            raise check.fail("plugin.dependencies", "min_prtip_version",
                             f"the plugin needs prtip {min_version} or newer; this is prtip {running}")
    lua_version = check.string(deps, "plugin.dependencies", "lua_version", required=False)
    if lua_version is not None and lua_version not in LUA_VERSIONS:
        raise check.fail("plugin.dependencies", "lua_version",
                         f"Lua {lua_version!r} is not available (prtip runs Lua {', '.join(LUA_VERSIONS)})")

    metadata = check.table(plugin, "plugin", "metadata")
    for key in ("category", "homepage", "repository"):
        check.string(metadata, "plugin.metadata", key, required=False)
    tags = metadata.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise check.fail("plugin.metadata", "tags", "must be an array of strings")
    config = check.table(data, "", "config")

    return Manifest(
        name=name, version=version, author=author, description=description, plugin_type=plugin_type,
        capabilities=frozenset(caps), license=license_ or DEFAULT_LICENSE, min_prtip_version=min_version,
        lua_version=lua_version, metadata=MappingProxyType(dict(metadata)),
        config=MappingProxyType(dict(config)), path=file)


def load_manifest(folder: Path) -> Manifest:
    """Read and validate ``folder/plugin.toml``; the plugin's name must be the folder's name."""
    file = folder / MANIFEST_FILE
    try:
        with open(file, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise ManifestError(str(file), "", None, "file not found (every plugin needs plugin.toml)") from None
    except OSError as exc:
        raise ManifestError(str(file), "", None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(str(file), "", None, f"larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ManifestError(str(file), "", line, "invalid TOML: not UTF-8 text") from None
    return parse_manifest(text, file, folder_name(folder))


def folder_name(folder: Path) -> str:
    """The name of the folder a path means: "." and "./" (and "x/..") name a real folder too."""
    return Path(os.path.abspath(folder)).name
