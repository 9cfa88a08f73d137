"""prtip's one error tree, and the one boundary where an error leaves the program.

Every message names the bad input and says what to do about it. One root, three families, each
defined next to the code that raises it::

    PrtipError                     exit status 1 unless the class says otherwise
    ├── UsageError                 bad command line input (exit status 2, like click's usage errors)
    │   ├── TargetSpecError        a target specification: "bad target '10.0.0.300'"
    │   ├── PortSpecError          a port specification: "bad port spec '70000'"
    │   └── OptionError            conflicting or out-of-range options (an unknown --plugin too)
    ├── PrivilegeError             a raw scan without root (suggests -sT)
    ├── OutputError                an output file cannot be written
    ├── DatabaseError              --db / `prtip db` problems (unknown scan id, bad file)
    ├── JournalError               a --resume journal that is unreadable or belongs to another scan
    ├── ClusterError               --cluster: no scheduler there, no `distributed`, a plugin a worker refuses
    ├── PluginError                the plugin host about a plugin (prtip/plugins/errors.py)
    │   ├── ManifestError          plugin.toml missing, not TOML, or invalid (file, field, line)
    │   ├── PluginLoadError        main.lua does not compile, raises, or on_load refuses
    │   ├── UnknownPluginError     a plugin name nobody installed
    │   └── SandboxError           the Lua runtime is not the sandbox we rely on (fail closed)
    └── ToolingError               `prtip plugin ...` stops (exit status 3; prtip/tooling/errors.py)
        ├── ScaffoldError          `new` would overwrite something, or a bad name
        ├── PluginNotFound         NAME|PATH names no plugin folder
        ├── NoTestFiles            `test` has no test file to run (exit status 1: a failed check)
        └── InstallError           install/update/remove failed; nothing was changed
            ├── ArchiveError       an archive is unreadable, unsafe or too big
            └── InvalidPlugin      the plugin failed validation; ``problems`` lists why

Foreign errors become these at one boundary each: OSError of output files in outputs/base.py,
sqlite3.Error in db.py, resolver and file errors of targets in targets.py, luavm's LuaError and
LimitExceeded in plugins/host.py, tar/zip and git failures in tooling/. A running plugin's
failure is no exception at all but a PluginFault, and the scan goes on. The tree leaves the
program in one place, :func:`reported`, which both
commands (cli.py, tooling/cli.py) wrap around their work: ``PROG: error: MESSAGE`` on stderr,
and the error's ``exit_status``, as click's Exit.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


class PrtipError(Exception):
    """Root of every error prtip reports to the user."""

    exit_status = 1


class UsageError(PrtipError):
    """The command line asked for something invalid."""

    exit_status = 2


class TargetSpecError(UsageError):
    """A target specification (argument, -iL line, --exclude) that cannot be parsed or resolved."""

    def __init__(self, spec: str, why: str, source: str | None = None) -> None:
        where = f" ({source})" if source else ""
        super().__init__(f"bad target {spec!r}{where}: {why}")
        self.spec = spec


class PortSpecError(UsageError):
    """A port specification (-p, --exclude-ports, --top-ports) that cannot be parsed."""

    def __init__(self, spec: str, why: str) -> None:
        super().__init__(f"bad port spec {spec!r}: {why}")
        self.spec = spec


class OptionError(UsageError):
    """Options that conflict or are out of range."""


class PrivilegeError(PrtipError):
    """A scan that needs raw sockets was requested without root."""


class OutputError(PrtipError):
    """An output file that cannot be opened or written."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"cannot write output file {path!r}: {why}")
        self.path = path


class DatabaseError(PrtipError):
    """A results database that cannot be used, or a scan id it does not hold."""


class JournalError(PrtipError):
    """A --resume journal that cannot be used (unreadable, or written by another scan)."""


class ClusterError(PrtipError):
    """--cluster cannot run: the scheduler is unreachable, or a worker cannot take the scan."""


@contextmanager
def reported(prog: str) -> Iterator[None]:
    """The CLI boundary: a PrtipError raised in the block is printed as ``PROG: error: MESSAGE``
    on stderr and ends the command with its ``exit_status`` (click's Exit, so click's own
    runner and CliRunner both see the status). Anything else passes through untouched."""
    import click  # the command line has it loaded; the scanner used as a library never pays

    try:
        yield
    except PrtipError as exc:
        click.echo(f"{prog}: error: {exc}", err=True)
        raise click.exceptions.Exit(exc.exit_status) from None
