"""The tooling's error tree; ``str`` of each is one line for the user.

::

    ToolingError            anything `prtip plugin ...` reports and stops on
    ├── ScaffoldError       `new` would overwrite something, or the name is not a plugin name
    ├── PluginNotFound      NAME|PATH names no plugin folder
    └── InstallError        install/update/remove failed; nothing was changed
        ├── ArchiveError    an archive is unreadable, unsafe (absolute paths, .., links
        │                   leaving the folder, devices) or too big
        └── InvalidPlugin   the plugin failed validation; ``problems`` lists why

Problems found by `validate` are data (validate.Problem), not exceptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from prtip.tooling.validate import Problem


class ToolingError(Exception):
    """Root of the plugin tooling's errors."""


class ScaffoldError(ToolingError):
    """`prtip plugin new` cannot create the plugin."""


class PluginNotFound(ToolingError):
    """A NAME or PATH that is not a plugin folder."""


class InstallError(ToolingError):
    """Installing, updating or removing failed; the installed plugins are unchanged."""


class ArchiveError(InstallError):
    """A plugin archive that cannot be extracted safely."""


class InvalidPlugin(InstallError):
    """The plugin to install failed validation."""

    def __init__(self, name: str, problems: Sequence[Problem]) -> None:
        self.name, self.problems = name, tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{name} is not a valid plugin, nothing was installed:\n{lines}")
