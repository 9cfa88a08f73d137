"""`prtip plugin ...`: the click group for plugin authors and the package manager (a thin layer).

The lead attaches ``plugin_group`` to prtip's command line; every command works on the click
group alone too (tests use CliRunner on it). Exit codes: 0 success, 1 a check failed (a test,
validation), 2 usage errors (click's), 3 the operation failed (install, not found, ...).
Commands raise ToolingError (prtip/tooling/errors.py) and never print errors themselves: the
group runs each inside prtip.errors.reported, the one place they become ``prtip plugin: error:
MESSAGE`` and the error's exit status.

    prtip plugin new NAME --type scan|output|detection [--dir DIR]
    prtip plugin test NAME|PATH
    prtip plugin validate PATH
    prtip plugin info NAME|PATH
    prtip plugin install PATH|GIT-URL|ARCHIVE [--force]
    prtip plugin update NAME
    prtip plugin remove NAME
    prtip plugin list
"""

from __future__ import annotations

from pathlib import Path

import click

from prtip.errors import reported
from prtip.plugins.locations import FoundPlugin
from prtip.plugins.errors import UnknownPluginError
from prtip.plugins.manifest import PLUGIN_TYPES
from prtip.tooling.errors import NoTestFiles, PluginNotFound

FAILED = 1  # a check failed; ToolingError.exit_status (3) says an operation did


def resolve(name_or_path: str) -> tuple[Path, FoundPlugin | None]:
    """A plugin folder: a path (with a slash, or "."), else a plugin name prtip finds, else a folder."""
    path = Path(name_or_path).expanduser()
    if "/" in name_or_path or name_or_path in (".", ".."):
        if not path.is_dir():
            raise PluginNotFound(f"{name_or_path}: no such folder")
        return path, None
    from prtip.plugins.manager import PluginManager

    try:
        found = PluginManager().get(name_or_path)
    except UnknownPluginError as exc:
        if path.is_dir():  # a plugin being written in the current folder
            return path, None
        raise PluginNotFound(str(exc)) from None
    return found.path, found


class PluginGroup(click.Group):
    """The `prtip plugin` group: every command runs inside the error boundary."""

    def invoke(self, ctx: click.Context) -> object:
        with reported("prtip plugin"):
            return super().invoke(ctx)


@click.group("plugin", cls=PluginGroup)
def plugin_group() -> None:
    """Create, test, validate and install prtip plugins."""


@plugin_group.command("new")
@click.argument("name")
@click.option("--type", "plugin_type", type=click.Choice(PLUGIN_TYPES), required=True, help="The plugin's type.")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Create the plugin folder in this folder.")
@click.option("--author", default="Your Name", show_default=True, help="plugin.toml's author.")
@click.option("--description", default=None, help="plugin.toml's one-line description (at most 80 characters).")
def new_command(name: str, plugin_type: str, parent: Path, author: str, description: str | None) -> None:
    """Create plugin NAME: plugin.toml, main.lua, README.md and a passing test_NAME.lua."""
    from prtip.tooling.scaffold import scaffold_plugin

    folder = scaffold_plugin(name, plugin_type, parent, author=author, description=description)
    click.echo(f"created {folder}/ (plugin.toml, main.lua, README.md, test_{name.replace('-', '_')}.lua)")
    click.echo(f"next: prtip plugin test {folder}  then  prtip plugin install {folder}")


@plugin_group.command("test")
@click.argument("plugin")
@click.argument("files", nargs=-1)
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=None,
              help="Seconds each test file may run (default: the plugin's time limit).")
def run_tests_command(plugin: str, files: tuple[str, ...], timeout: float | None) -> None:
    """Run the test_*.lua files of PLUGIN (a name or a folder) with luavm, or only FILES.

    Unlike plain `lua FILE` or `luavm FILE`, each file runs in the plugin's sandbox and limits,
    with `require("main")` returning main.lua's functions and the scanner's `prtip` table
    (docs/PLUGIN-TOOLING.md, "Unit tests")."""
    from prtip.tooling.luatest import run_plugin_tests, run_test_file

    folder, _ = resolve(plugin)
    if files:
        missing = [f for f in files if not (folder / f).is_file() and not Path(f).is_file()]
        if missing:
            raise NoTestFiles(f"{', '.join(missing)}: no such test file in {folder}")
        results = [run_test_file(folder, Path(f), timeout) for f in files]
    else:
        results = run_plugin_tests(folder, timeout)
    if not results:
        raise NoTestFiles(f"{folder}: no test_*.lua files")
    for r in results:
        click.echo(r.report())
    failed = [r for r in results if not r.ok]
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if not files:
        click.echo(f"one file: prtip plugin test {plugin} {results[0].file.name} (plain `lua`/`luavm` "
                   "lack require(\"main\") and the prtip table this provides)")
    if failed:
        raise click.exceptions.Exit(FAILED)


@plugin_group.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
def validate_command(path: Path) -> None:
    """Check the plugin in PATH: plugin.toml, main.lua's syntax, loading, hooks. One line per problem."""
    from prtip.tooling.validate import validate_plugin

    report = validate_plugin(path)
    for problem in report.problems:
        click.echo(str(problem), err=not problem.warning)
    if not report.ok:
        raise click.exceptions.Exit(FAILED)
    m = report.manifest
    assert m is not None
    click.echo(f"{m.name} v{m.version} ({m.plugin_type}) is valid; hooks: {', '.join(sorted(report.hooks))}")


@plugin_group.command("info")
@click.argument("plugin")
def info_command(plugin: str) -> None:
    """Show PLUGIN's manifest, location, capabilities and hooks."""
    from prtip.tooling.installer import installed_plugins
    from prtip.tooling.validate import validate_plugin

    folder, found = resolve(plugin)
    report = validate_plugin(folder)
    m = report.manifest
    rows: list[tuple[str, str]] = []
    if m is not None:
        rows += [("name", m.name), ("version", m.version), ("type", m.plugin_type), ("author", m.author),
                 ("description", m.description), ("license", m.license),
                 ("capabilities", ", ".join(sorted(m.capabilities)) or "none")]
        if m.min_prtip_version:
            rows.append(("min prtip version", m.min_prtip_version))
        if m.lua_version:
            rows.append(("lua version", m.lua_version))
        for key, value in m.metadata.items():
            rows.append((key, ", ".join(value) if isinstance(value, list) else str(value)))
    rows.append(("location", str(folder.resolve())))
    if found is not None:
        rows.append(("source", found.source + (f" (hides {', '.join(map(str, found.shadows))})" if found.shadows else "")))
    record = installed_plugins().get(m.name if m else folder.name)
    if record is not None and found is not None and found.source == "user":
        rows.append(("installed from", f"{record.source} ({record.kind}"
                     + (f", commit {record.commit[:12]}" if record.commit else "") + f", {record.installed})"))
    rows.append(("hooks", ", ".join(sorted(report.hooks)) or "none"))
    rows.append(("state", "ok" if report.ok else "broken"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")
    for problem in report.problems:
        click.echo(f"  {problem}")
    if not report.ok:
        raise click.exceptions.Exit(FAILED)


@plugin_group.command("install")
@click.argument("source")
@click.option("--force", is_flag=True, help="Replace an installed plugin of the same name.")
@click.option("--system", is_flag=True,
              help="Install for every user, into the system plugin folder (/opt/prtip/plugins; created).")
def install_command(source: str, force: bool, system: bool) -> None:
    """Install a plugin from a folder, a git repository URL or an archive (.tar.gz, .tgz, .zip)."""
    from prtip.plugins import settings
    from prtip.tooling.installer import Installer

    installer = Installer(plugins_dir=settings.SYSTEM_PLUGIN_PATH) if system else Installer()
    record = installer.install(source, replace=force)
    click.echo(f"installed {record.name} v{record.version} into {installer.plugins_dir / record.name}")


@plugin_group.command("update")
@click.argument("name")
def update_command(name: str) -> None:
    """Install NAME again from where it was installed from (the old copy stays if the new one fails)."""
    from prtip.tooling.installer import Installer

    installer = Installer()
    old = installer.records().get(name)
    record = installer.update(name)
    before = f"v{old.version} -> " if old is not None else ""
    click.echo(f"updated {record.name} {before}v{record.version} from {record.source}")


@plugin_group.command("remove")
@click.argument("name")
def remove_command(name: str) -> None:
    """Delete NAME from $PRTIP_HOME/plugins."""
    from prtip.tooling.installer import Installer

    folder = Installer().remove(name)
    click.echo(f"removed {name} ({folder})")


@plugin_group.command("list")
def list_command() -> None:
    """List every plugin prtip finds (as --list-plugins does)."""
    from prtip.plugins.integration import list_plugins

    for line in list_plugins():
        click.echo(line)
