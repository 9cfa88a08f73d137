"""The plugin system's part of the `prtip` command: options, logging, and the hooks for a scan.

The CLI needs three lines (see docs/PLUGINS.md, "For prtip developers")::

    from prtip.plugins.integration import add_plugin_options, scan_hooks
    add_plugin_options(scan_command)            # after the command is defined
    status = execute(config, scan_hooks(config))

``add_plugin_options`` adds --plugin NAME (repeatable, comma lists), --list-plugins,
--plugin-output PATH and --log-level LEVEL, and wraps the command's callback so that these
options never reach it: logging is set up first, --list-plugins prints and exits, and the
rest is kept for ``scan_hooks`` in the click context.
"""

from __future__ import annotations

import functools
import logging
import logging.handlers
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

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
META_KEY = "prtip.plugins"
_handlers: list[logging.Handler] = []


@dataclass(frozen=True)
class PluginOptions:
    """The plugin options of one command line."""

    names: tuple[str, ...] = ()
    output_path: str | None = None
    log_level: str = "warn"


# ---------------------------------------------------------------- logging

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
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "prtip.log", maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
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


# ---------------------------------------------------------------- click

def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return tuple(out)


def add_plugin_options(command: click.Command) -> click.Command:
    """Add the plugin options to a click command and keep them from its callback."""
    options = [
        click.Option(["--plugin", "plugins"], multiple=True, metavar="NAME",
                     help="Run this plugin (repeatable; NAME,NAME also works). See --list-plugins."),
        click.Option(["--list-plugins"], is_flag=True,
                     help="List installed plugins (NAME vVERSION (TYPE), source, state) and exit."),
        click.Option(["--plugin-output"], metavar="PATH",
                     help="File given to output plugins' export(results, path)."),
        click.Option(["--log-level"], type=click.Choice(["debug", "info", "warn", "error"], case_sensitive=False),
                     default="warn", show_default=True,
                     help="Messages shown on stderr (the log file $PRTIP_HOME/logs/prtip.log gets info and up)."),
    ]
    command.params.extend(options)
    callback = command.callback
    assert callback is not None

    @functools.wraps(callback)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        names = _names(kwargs.pop("plugins", ()))
        show = kwargs.pop("list_plugins", False)
        output = kwargs.pop("plugin_output", None)
        level = (kwargs.pop("log_level", None) or "warn").lower()
        setup_logging(level)
        if show:
            for line in list_plugins():
                click.echo(line)
            raise click.exceptions.Exit(0)
        ctx = click.get_current_context()
        ctx.meta[META_KEY] = PluginOptions(names, output, level)
        return callback(*args, **kwargs)

    command.callback = wrapped
    return command


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


def scan_hooks(config: ScanConfig, options: PluginOptions | None = None) -> ScanHooks | None:
    """The hooks for a scan: None when no plugin was asked for (the pipeline uses NoHooks).

    Unknown plugin names stop the command (a usage error, like nmap's unknown --script); a
    plugin that exists but cannot load is logged and listed in the output's errors, and the
    scan runs with the others."""
    if options is None:
        ctx = click.get_current_context(silent=True)
        options = ctx.meta.get(META_KEY) if ctx is not None else None
    if options is not None and options.output_path:
        check_export_path(options.output_path)
    if options is None or not options.names:
        return None
    from prtip.plugins.context import ScanContext  # luavm loads only when plugins are used
    from prtip.plugins.manager import PluginManager

    scan = ScanContext.from_config(config, export_path=options.output_path)
    manager = PluginManager(scan=scan)
    manager.discover_plugins()
    for name in options.names:
        try:
            manager.get(name)
        except UnknownPluginError as exc:
            from prtip.errors import OptionError

            raise OptionError(str(exc)) from None
    for name in options.names:
        try:
            manager.load_plugin(name)
        except PluginLoadError as exc:
            logging.getLogger("prtip.plugins").error("%s (the scan goes on without it)", exc)
            manager.record(PluginFault(name, "load", "load", exc.message))
    return manager.hooks()
