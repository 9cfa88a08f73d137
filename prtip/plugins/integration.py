"""The plugin system's part of the `prtip` command: logging, --list-plugins, the hooks for a scan.

prtip/cli.py declares --plugin, --list-plugins, --plugin-output and --log-level with the other
options; the three that shape a scan become ScanConfig fields (prtip/config.py). Then::

    setup_logging(level)                          # first: --list-plugins logs too
    for line in list_plugins(): ...               # --list-plugins, and exit
    status = execute(config, scan_hooks(config))

Importing this module does not load luavm: only ``scan_hooks`` with plugins named does.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, Any

from prtip.plugins.errors import PluginFault, PluginLoadError, UnknownPluginError
from prtip.plugins.settings import prtip_home
from prtip.textsafe import escape, escape_lines

if TYPE_CHECKING:
    from prtip.config import ScanConfig
    from prtip.scanhooks import ScanHooks
    from prtip.plugins.manager import PluginManager

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "warning": logging.WARNING,
          "error": logging.ERROR}
LOG_FILE_BYTES = 5 * 2**20
LOG_FILE_BACKUPS = 3
_handlers: list[logging.Handler] = []


# ---------------------------------------------------------------- logging

class _LogFile(logging.Handler):
    """The rotating log file, opened at its first record: most scans without plugins log
    nothing, and logging.handlers (with pickle, queue and socket) costs 2 ms of every start."""

    def __init__(self, path: Any) -> None:
        super().__init__()
        self.path = path
        self.file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.file is None:
            import logging.handlers

            try:
                self.file = logging.handlers.RotatingFileHandler(
                    self.path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
            except OSError:
                self.handleError(record)
                return
            self.file.setFormatter(self.formatter)
        self.file.emit(record)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()


def setup_logging(level: str = "warn", home: Any = None) -> None:
    """Logs to $PRTIP_HOME/logs/prtip.log (rotated; info and up, debug with --log-level debug)
    and to stderr from ``level`` up. Safe to call again (handlers are replaced)."""
    root = logging.getLogger("prtip")
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    chosen = LEVELS[level]
    fmt = SafeFormatter("%(asctime)s %(levelname)s %(source)s: %(message)s")
    settings_home = home if home is not None else prtip_home()
    try:
        log_dir = settings_home / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(log_dir, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
        file_handler: logging.Handler = _LogFile(log_dir / "prtip.log")
        file_handler.setLevel(min(chosen, logging.INFO))
        file_handler.setFormatter(fmt)
        _handlers.append(file_handler)
    except OSError as exc:
        print(f"prtip: warning: cannot write the log file in {settings_home}/logs: {exc.strerror or exc}",
              file=sys.stderr)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(chosen)
    stderr.setFormatter(SafeFormatter("prtip: %(levelname)s: %(source)s: %(message)s"))
    _handlers.append(stderr)
    for handler in _handlers:
        handler.addFilter(_name_source)
        root.addHandler(handler)
    root.setLevel(min(chosen, logging.INFO))
    root.propagate = False


class SafeFormatter(logging.Formatter):
    """A formatter whose every line is ours: the message is escaped into one line (textsafe).

    Plugin texts (log calls, print, error values) and banners reach log messages; escaping
    here, at the sink, covers every logger of prtip, whatever its caller forgot. A traceback
    or stack attached to a record becomes continuation lines starting with "  | ", so no text
    inside it can pass for a log line of its own.
    """

    def format(self, record: logging.LogRecord) -> str:
        record.message = escape(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        extra: list[str] = []
        if record.exc_info:
            extra += escape_lines(self.formatException(record.exc_info))
        if record.stack_info:
            extra += escape_lines(self.formatStack(record.stack_info))
        return text + "".join("\n  | " + line for line in extra)


def _name_source(record: logging.LogRecord) -> bool:
    """``source``: "plugin NAME" for a plugin's own logger, else the logger's name."""
    prefix = "prtip.plugins."
    source = f"plugin {record.name[len(prefix):]}" if record.name.startswith(prefix) else record.name
    record.source = escape(source)  # a plugin's folder name is not yet checked when its logger is made
    record.levelname = record.levelname.lower()
    return True


# ---------------------------------------------------------------- --list-plugins

def list_plugins(manager: PluginManager | None = None) -> list[str]:
    """One line per discovered plugin: `NAME vVERSION (TYPE) [SOURCE: PATH] ok|broken: reason`.

    Besides plugin.toml, main.lua is compiled (never run) and its type's hooks looked for, the
    way `prtip plugin validate` does without loading, so a plugin listed ``ok`` is one whose
    code at least compiles and defines what its type needs. ``--log-level debug`` logs every
    problem found, warnings included."""
    from dataclasses import replace

    from prtip.textsafe import escape
    from prtip.tooling.validate import validate_plugin

    from prtip.plugins.manager import PluginManager  # luavm loads only when plugins are used

    manager = manager or PluginManager()
    log = logging.getLogger("prtip.plugins")
    lines = []
    for found in manager.discover_plugins():
        if found.ok:
            report = validate_plugin(found.path, manager.settings, load=False)
            for problem in report.problems:
                log.debug("%s: %s", found.name, escape(str(problem)))
            if report.errors:
                found = replace(found, problem=str(report.errors[0]))
        else:
            log.debug("%s: %s", found.name, escape(found.problem or "broken"))
        lines.append(escape(found.listing()))
    return lines


# ---------------------------------------------------------------- a scan

def check_export_path(path: str) -> None:
    """Fail before scanning, as -oX does, when --plugin-output PATH could never be written
    (the export hook would otherwise only find out after the whole scan)."""
    import os

    from prtip.errors import OutputError

    target = os.path.abspath(os.path.expanduser(path))
    parent = os.path.dirname(target)
    if os.path.isdir(target):
        raise OutputError(path, "Is a directory (--plugin-output needs a file name)")
    if not os.path.isdir(parent):
        raise OutputError(path, f"No such directory: {parent}" if not os.path.exists(parent)
                          else f"Not a directory: {parent}")
    writable = os.access(target, os.W_OK) if os.path.exists(target) else os.access(parent, os.W_OK | os.X_OK)
    if not writable:
        raise OutputError(path, "Permission denied")


def scan_hooks(config: ScanConfig) -> ScanHooks | None:
    """The hooks for a scan: None when no plugin was asked for (the pipeline uses NoHooks).

    Unknown plugin names stop the command (a usage error, like nmap's unknown --script); a
    plugin that exists but cannot load is logged and listed in the output's errors, and the
    scan runs with the others."""
    if config.plugin_output:
        check_export_path(config.plugin_output)
    if not config.plugins:
        return None
    from prtip.plugins.context import ScanContext  # luavm loads only when plugins are used
    from prtip.plugins.manager import PluginManager

    manager = PluginManager(scan=ScanContext.from_config(config))
    manager.discover_plugins()
    for name in config.plugins:
        try:
            manager.get(name)
        except UnknownPluginError as exc:
            from prtip.errors import OptionError

            raise OptionError(str(exc)) from None
    for name in config.plugins:
        try:
            manager.load_plugin(name)
        except PluginLoadError as exc:
            logging.getLogger("prtip.plugins").error("%s (the scan goes on without it)", exc)
            manager.record(PluginFault(name, "load", "load", exc.message))
    return manager.hooks()
