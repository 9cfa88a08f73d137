"""The operator's plugin settings: the [plugins] section of config.toml, and where files live.

Two files are read: /etc/prtip/config.toml (the system's) and $PRTIP_HOME/config.toml (the
user's; PRTIP_HOME defaults to ~/.prtip). Plugins cannot change either: this is where the
person running the scan decides what plugins may do beyond their manifest::

    [plugins]
    system_path = "/opt/prtip/plugins"      # more plugin folders ("~" is expanded)
    user_path = "~/.prtip/plugins"
    allow_connect = ["127.0.0.0/8"]         # networks plugins may connect to besides the targets

    [plugins.grants]
    my-plugin = ["system"]                  # the system capability must be granted here

    [plugins.limits]                        # per hook call; "unlimited" lifts one
    instructions = 1000000
    memory = "100MiB"
    seconds = 5.0

    [plugins.limits.my-plugin]              # one plugin's own limits
    instructions = 2000000

Lists are merged (system file then user file); single values from the user's file win.
A bad setting is reported (``problems``) and ignored, never fatal: plugins then run with the
stricter default.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from luavm import Limits

SYSTEM_CONFIG = Path("/etc/prtip/config.toml")
SYSTEM_PLUGIN_PATH = Path("/opt/prtip/plugins")
LIMIT_KEYS = ("instructions", "memory", "seconds")
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def prtip_home() -> Path:
    """$PRTIP_HOME, else ~/.prtip."""
    env = os.environ.get("PRTIP_HOME")
    return Path(env).expanduser() if env else Path.home() / ".prtip"


def _default_limits() -> Limits:
    # luavm loads with the first settings read, not with this module: every scan sets up its
    # log file from prtip_home(), and a scan without --plugin never needs luavm
    from luavm import Limits

    return Limits.plugin_default()


@dataclass(frozen=True)
class PluginSettings:
    """Everything the operator configured for plugins, already validated."""

    home: Path
    user_paths: tuple[Path, ...] = ()
    system_paths: tuple[Path, ...] = ()
    allow_connect: tuple[IpNetwork, ...] = ()
    grants: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    limits: Limits = field(default_factory=_default_limits)
    plugin_limits: Mapping[str, Limits] = field(default_factory=lambda: MappingProxyType({}))
    config_files: tuple[Path, ...] = ()  # the files actually read
    problems: tuple[str, ...] = ()  # settings that were ignored, with why

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    def data_dir(self, plugin: str) -> Path:
        """A plugin's own folder for the filesystem capability."""
        return self.home / "plugin-data" / plugin

    def limits_for(self, plugin: str) -> Limits:
        return self.plugin_limits.get(plugin, self.limits)

    def granted(self, plugin: str, capability: str) -> bool:
        return capability in self.grants.get(plugin, frozenset())


def _size(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a number of bytes")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        from luavm import parse_size  # on first use, as Limits

        try:
            return parse_size(value)  # 64KiB, 100MB: the sizes `luavm --memory` takes
        except ValueError:
            pass
    raise ValueError("must be a number of bytes or a size like \"100MiB\"")


def _limit(key: str, value: Any) -> int | float | None:
    """One limit value; "unlimited" means None (no limit)."""
    if value == "unlimited":
        return None
    if key == "memory":
        n: int | float = _size(value)
    elif key == "instructions":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer")
        n = value
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("must be a number of seconds")
        n = float(value)
    if n <= 0:
        raise ValueError("must be positive (or \"unlimited\")")
    return n


def _limits(base: Limits, table: Mapping[str, Any], where: str, problems: list[str]) -> Limits:
    changes: dict[str, Any] = {}
    for key in LIMIT_KEYS:
        if key in table:
            try:
                changes[key] = _limit(key, table[key])
            except ValueError as exc:
                problems.append(f"{where}.{key}: {exc}; using {getattr(base, key)}")
    return replace(base, **changes)


def _paths(value: Any, where: str, problems: list[str]) -> list[Path]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
        problems.append(f"{where}: must be a path or an array of paths")
        return []
    return [Path(p).expanduser() for p in items]


def _read(path: Path, problems: list[str]) -> tuple[dict[str, Any], str] | None:
    """The file's settings and text (for line numbers), or None when absent or unreadable."""
    import tomllib  # only when a settings file exists: most runs have none

    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8")
        return tomllib.loads(text), text
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: ignored: {exc}")
        return None


TOP_LEVEL_KEYS = ("plugins",)
PLUGINS_KEYS = ("allow_connect", "grants", "limits", "system_path", "user_path")


def _unknown(path: Path, text: str, table: Mapping[str, Any], section: str, known: tuple[str, ...],
             problems: list[str]) -> None:
    """A warning for every key of ``table`` prtip does not know (a misspelling would otherwise
    silently mean "not set"), naming the file, the line and the known keys."""
    from prtip.plugins.manifest import field_line

    for key in table:
        if key not in known:
            line = field_line(text, section, key)
            where = f"{path}:{line}" if line else str(path)
            dotted = f"{section}.{key}" if section else key
            problems.append(f"{where}: {dotted}: unknown setting, ignored (known: {', '.join(known)})")


def load_settings(home: Path | None = None, system_config: Path | None = SYSTEM_CONFIG,
                  system_plugin_path: Path | None = SYSTEM_PLUGIN_PATH) -> PluginSettings:
    """Read the system's then the user's config.toml into PluginSettings (tests pass their own
    ``system_config``/``system_plugin_path``, or None to leave the machine's out)."""
    home = home if home is not None else prtip_home()
    problems: list[str] = []
    files: list[Path] = []
    user_paths: list[Path] = [home / "plugins"]
    system_paths: list[Path] = []
    allow: list[IpNetwork] = []
    grants: dict[str, set[str]] = {}
    limits = _default_limits()
    raw_plugin_limits: list[tuple[str, Mapping[str, Any], str]] = []
    for path in (system_config, home / "config.toml"):
        if path is None:
            continue
        read = _read(path, problems)
        if read is None:
            continue
        data, text = read
        files.append(path)
        _unknown(path, text, data, "", TOP_LEVEL_KEYS, problems)
        section = data.get("plugins", {})
        if not isinstance(section, dict):
            problems.append(f"{path}: [plugins] must be a table")
            continue
        _unknown(path, text, section, "plugins", PLUGINS_KEYS, problems)
        where = f"{path}: plugins"
        if "user_path" in section:
            user_paths += _paths(section["user_path"], f"{where}.user_path", problems)
        if "system_path" in section:
            system_paths += _paths(section["system_path"], f"{where}.system_path", problems)
        nets = section.get("allow_connect", [])
        if not isinstance(nets, list):
            problems.append(f"{where}.allow_connect: must be an array of networks")
            nets = []
        for net in nets:
            try:
                allow.append(ipaddress.ip_network(str(net), strict=False))
            except ValueError:
                problems.append(f"{where}.allow_connect: {net!r} is not an address or network")
        section_grants = section.get("grants", {})
        if isinstance(section_grants, dict):
            for name, caps in section_grants.items():
                if isinstance(caps, list) and all(isinstance(c, str) for c in caps):
                    grants.setdefault(name, set()).update(caps)
                else:
                    problems.append(f"{where}.grants.{name}: must be an array of capability names")
        else:
            problems.append(f"{where}.grants: must be a table")
        section_limits = section.get("limits", {})
        if isinstance(section_limits, dict):
            limits = _limits(limits, section_limits, f"{where}.limits", problems)
            for name, table in section_limits.items():
                if name in LIMIT_KEYS:
                    continue
                if isinstance(table, dict):
                    _unknown(path, text, table, f"plugins.limits.{name}", LIMIT_KEYS, problems)
                    raw_plugin_limits.append((name, table, f"{where}.limits.{name}"))
                else:
                    _unknown(path, text, {name: table}, "plugins.limits", LIMIT_KEYS, problems)
        else:
            problems.append(f"{where}.limits: must be a table")
    # per-plugin limits start from the final defaults, so the user's defaults apply to them too
    plugin_limits: dict[str, Limits] = {}
    for name, table, where in raw_plugin_limits:
        plugin_limits[name] = _limits(plugin_limits.get(name, limits), table, where, problems)
    if system_plugin_path is not None:
        system_paths.append(system_plugin_path)
    return PluginSettings(
        home=home, user_paths=tuple(_dedupe(user_paths)), system_paths=tuple(_dedupe(system_paths)),
        allow_connect=tuple(allow), grants=MappingProxyType({k: frozenset(v) for k, v in grants.items()}),
        limits=limits, plugin_limits=MappingProxyType(plugin_limits), config_files=tuple(files),
        problems=tuple(problems))


def _dedupe(paths: list[Path]) -> list[Path]:
    seen: set[str] = set()
    out = []
    for p in paths:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
