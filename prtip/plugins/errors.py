"""The plugin host's errors, and the fault record a failing plugin leaves in the scan.

PluginError is one branch of prtip's error tree (drawn whole in prtip/errors.py)::

    PrtipError
    └── PluginError              anything the plugin host reports about a plugin
        ├── ManifestError        plugin.toml is missing, not TOML, or fails validation
        │                        (names the file, the field and, when known, the line)
        ├── PluginLoadError      main.lua does not compile, raises, or on_load refuses
        ├── UnknownPluginError   --plugin / load_plugin named a plugin nobody installed
        └── SandboxError         the Lua runtime is not the sandbox we rely on (fail closed)

Errors *while a scan runs* are not raised: a hook that fails becomes a :class:`PluginFault`
(logged, listed in the output's "errors") and the scan goes on with its results intact.
luavm's errors (LuaError, LimitExceeded) are translated into these at one boundary, host.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from prtip.errors import PrtipError
from prtip.textsafe import escape


class PluginError(PrtipError):
    """Root of the plugin host's errors; ``str`` is one line naming the plugin or file."""


class ManifestError(PluginError):
    """A plugin.toml problem: ``file:line: field: message`` (line omitted when unknown)."""

    def __init__(self, file: str, field: str, line: int | None, message: str) -> None:
        self.file, self.field, self.line, self.message = file, field, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class PluginLoadError(PluginError):
    """A plugin that could not be loaded; ``plugin`` names it, the message says why."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin, self.message = plugin, message
        super().__init__(f"plugin {plugin}: {message}")


class UnknownPluginError(PluginError):
    """A plugin name that no plugin directory holds."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown plugin {name!r} (prtip --list-plugins shows the installed ones)")


class SandboxError(PluginError):
    """luavm's sandbox exposes something the plugin host's assumptions forbid."""


@dataclass(frozen=True)
class PluginFault:
    """One failed plugin call: what the log line and the output's "errors" entry say.

    ``kind`` is ``lua-error`` (the plugin raised), ``limit`` (instructions, memory or time),
    ``bad-return`` (a hook returned something its contract forbids), ``load`` (a (re)load
    failed) or ``internal`` (the host or luavm misbehaved; never the plugin's results' loss).
    """

    plugin: str
    hook: str
    kind: str
    message: str
    file: str | None = None
    line: int | None = None
    target: str | None = None

    def __str__(self) -> str:
        """One line for logs and the outputs' "errors": every part escaped (prtip.textsafe), as
        the message is the plugin's own error value and may hold line breaks or ESC."""
        where = f" ({self.target})" if self.target else ""
        pos = ""
        if self.file:
            pos = f" [{self.file}:{self.line}]" if self.line else f" [{self.file}]"
        kind = "" if self.kind == self.hook else f"{self.kind}: "  # "load: load:" says it twice
        return escape(f"plugin {self.plugin}: {self.hook}{where}: {kind}{self.message}{pos}")

    def as_dict(self) -> dict[str, object]:
        return {"plugin": self.plugin, "hook": self.hook, "kind": self.kind, "message": self.message,
                "file": self.file, "line": self.line, "target": self.target}
