"""The scanner's error tree; every message names the bad input and says what to do about it.

::

    PrtipError                 exit status 1 unless the subclass says otherwise
    ├── UsageError             bad command line input (exit status 2, like click's usage errors)
    │   ├── TargetSpecError    a target specification: "bad target '10.0.0.300'"
    │   ├── PortSpecError      a port specification: "bad port spec '70000'"
    │   └── OptionError        conflicting or out-of-range options
    ├── PrivilegeError         a raw scan without root (suggests -sT)
    ├── OutputError            an output file cannot be written
    ├── DatabaseError          --db / `prtip db` problems (unknown scan id, bad file)
    ├── JournalError           a --resume journal that is unreadable or belongs to another scan
    └── ClusterError           --cluster: no scheduler there, no `distributed`, a plugin a worker refuses

OSError, sqlite3.Error and click's exceptions are translated into these at one boundary each
(outputs/__init__.py, db.py, cli.py); the CLI prints ``prtip: error: <message>`` on one line.
"""

from __future__ import annotations


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
