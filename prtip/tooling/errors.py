"""The tooling's errors; ``str`` of each is one line for the user (InvalidPlugin adds its problems).

ToolingError is one branch of prtip's error tree (drawn whole in prtip/errors.py); the plugin
group's commands raise these and prtip.errors.reported prints them::

    PrtipError
    └── ToolingError            anything `prtip plugin ...` reports and stops on (exit status 3)
        ├── ScaffoldError       `new` would overwrite something, or the name is not a plugin name
        ├── PluginNotFound      NAME|PATH names no plugin folder
        ├── NoTestFiles         `test` has no test file to run (exit status 1, as a failed check)
        └── InstallError        install/update/remove failed; nothing was changed
            ├── ArchiveError    an archive is unreadable, unsafe (absolute paths, .., links
            │                   leaving the folder, devices) or too big
            └── InvalidPlugin   the plugin failed validation; ``problems`` lists why

Problems found by `validate` are data (validate.Problem), not exceptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from prtip.errors import PrtipError

if TYPE_CHECKING:
    from prtip.tooling.validate import Problem


class ToolingError(PrtipError):
    """Root of the plugin tooling's errors."""

    exit_status = 3  # the operation failed (1 is kept for checks that failed: tests, validation)


class ScaffoldError(ToolingError):
    """`prtip plugin new` cannot create the plugin."""


class PluginNotFound(ToolingError):
    """A NAME or PATH that is not a plugin folder."""


class NoTestFiles(ToolingError):
    """`prtip plugin test` found no test file to run: a check that failed, not an operation."""

    exit_status = 1


class InstallError(ToolingError):
    """Installing, updating or removing failed; the installed plugins are unchanged."""


class ArchiveError(InstallError):
    """A plugin archive that cannot be extracted safely."""


class InvalidPlugin(InstallError):
    """The plugin to install failed validation."""

    def __init__(self, name: str, problems: Sequence[Problem], *, kept: bool = False) -> None:
        """``kept``: an update failed, and the installed copy stays."""
        self.name, self.problems = name, tuple(problems)
        head = (f"the new {name} is not valid; the installed one is kept:" if kept
                else f"{name} is not a valid plugin, nothing was installed:")
        super().__init__("\n".join([head] + [f"  {p}" for p in self.problems]))
