"""The plugin package manager: install from a folder, a git repository or an archive; update; remove.

Every install follows the same steps, and only the last one touches $PRTIP_HOME/plugins:

1. fetch the source into a private staging folder (plugins/.staging-*, hidden from discovery,
   on the same filesystem so the last step is a rename): copy a folder,
   ``git clone --depth 1`` a repository (git's ``ext::`` transport refused, no prompts),
   or extract an archive safely (archive.py);
2. find the plugin in it (at the top, or in the one top-level folder), read its name from
   plugin.toml and give the folder that name;
3. validate it completely (validate.py: manifest, syntax, a real load in the plugin host);
   any error stops here and nothing was installed;
4. move it into $PRTIP_HOME/plugins/NAME (a replaced copy is moved aside first and deleted
   only once the new one is in place) and record where it came from in
   $PRTIP_HOME/plugins/.installed.json, which ``update`` reads to fetch it again.

Only the user's plugin folder is managed: system and bundled plugins are never changed.
A folder put there by hand (``git clone`` into plugins/, the document's Method 2) has no
record: ``install`` of the same plugin adopts it (replaces it with the fetched copy and records
the source), and ``update`` of a hand-made git clone adopts it from its ``origin`` remote.
Problems found in a fetched copy are named as ``SOURCE: plugin.toml:3`` (a git URL or an
archive has no such path on disk), never by the staging folder deleted afterwards.
Known limits: two installs of the same plugin at the same moment are not serialized (the
second rename fails and reports it); git sources are cloned at their default branch.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from prtip.plugins.errors import ManifestError
from prtip.plugins.manifest import MANIFEST_FILE, NAME_RE, parse_manifest
from prtip.plugins.settings import PluginSettings, prtip_home
from prtip.tooling.archive import check_tree, extract_archive, is_archive
from prtip.tooling.errors import ArchiveError, InstallError, InvalidPlugin
from prtip.tooling.validate import Problem, validate_plugin

RECORD_FILE = ".installed.json"
GIT_TIMEOUT = 300
_GIT_URL = re.compile(r"^(?:git\+)?(?:file|https?|ssh|git)://|^[\w.-]+@[\w.-]+:|\.git/?$")


@dataclass(frozen=True)
class InstalledPlugin:
    """What .installed.json remembers about one plugin."""

    name: str
    version: str
    source: str  # absolute folder or archive path, or the git URL as given
    kind: str  # "folder", "git" or "archive"
    installed: str  # ISO 8601 UTC
    commit: str | None = None  # the git commit installed


def installed_plugins(home: Path | None = None, plugins_dir: Path | None = None) -> dict[str, InstalledPlugin]:
    """The install records in $PRTIP_HOME/plugins/.installed.json (or ``plugins_dir``'s)."""
    path = (plugins_dir or (home or prtip_home()) / "plugins") / RECORD_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    if isinstance(data, dict):
        for name, rec in data.items():
            try:
                out[name] = InstalledPlugin(**rec)
            except TypeError:
                continue
    return out


def source_kind(source: str) -> str:
    """"folder", "archive" or "git" for what the user typed; InstallError when it is none of them.

    git: URLs (file://, https://, ssh://, git://, user@host:path), paths ending in .git, and bare
    repositories on disk."""
    path = Path(source).expanduser()
    if path.is_dir():
        # a bare repository (what people push to) is cloned; a working tree is copied as it is,
        # uncommitted edits included, since that is what its author is testing
        bare = (path / "HEAD").is_file() and (path / "objects").is_dir() and not (path / MANIFEST_FILE).exists()
        return "git" if bare else "folder"
    if path.is_file():
        if is_archive(path):
            return "archive"
        raise InstallError(f"{source}: not a plugin folder or an archive (.tar.gz, .tgz, .tar, .zip)")
    if _GIT_URL.search(source):
        return "git"
    raise InstallError(f"{source}: no such folder or archive, and not a git URL")


class Installer:
    """Installs into one $PRTIP_HOME (the environment's by default), or into ``plugins_dir``
    (``prtip plugin install --system``: the system folder, created when missing)."""

    def __init__(self, home: Path | None = None, settings: PluginSettings | None = None,
                 plugins_dir: Path | None = None) -> None:
        self.home = Path(home) if home is not None else prtip_home()
        self.plugins_dir = Path(plugins_dir) if plugins_dir is not None else self.home / "plugins"
        self.settings = settings

    # ------------------------------------------------------------------ records

    def records(self) -> dict[str, InstalledPlugin]:
        return installed_plugins(plugins_dir=self.plugins_dir)

    def _write_records(self, records: dict[str, InstalledPlugin]) -> None:
        path = self.plugins_dir / RECORD_FILE
        tmp = path.with_name(RECORD_FILE + ".tmp")
        data = {name: asdict(rec) for name, rec in sorted(records.items())}
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    # ------------------------------------------------------------------ commands

    def install(self, source: str, *, replace: bool = False) -> InstalledPlugin:
        """Install from ``source``; an installed plugin of that name is replaced only with ``replace``."""
        kind = source_kind(source)
        local = Path(source).expanduser()
        recorded_source = str(local.resolve()) if local.exists() else source
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            self.plugins_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InstallError(f"cannot create {self.plugins_dir}: {exc.strerror or exc}") from None
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.plugins_dir))
        try:
            fetched = staging / "fetched"
            commit = None
            if kind == "folder":
                _copy_folder(Path(recorded_source), fetched)
            elif kind == "archive":
                fetched.mkdir()
                extract_archive(Path(recorded_source), fetched)
            else:
                commit = _git_clone(source, fetched)
            root = _plugin_root(fetched, source)
            name, version = _manifest_identity(root, source)
            candidate = staging / name
            root.rename(candidate)
            report = validate_plugin(candidate, self.settings)
            if not report.ok:
                raise InvalidPlugin(name, [_shown(p, candidate, source) for p in report.errors])
            dest = self.plugins_dir / name
            if (dest.exists() or dest.is_symlink()) and not replace and name in self.records():
                raise InstallError(f"{name} is already installed in {dest} (prtip plugin update {name}, "
                                   "or install --force to replace it)")
            # else: nothing there, or a folder put there by hand, which this install adopts
            _move_into_place(candidate, dest, staging)
            record = InstalledPlugin(name, version, recorded_source, kind,
                                     datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                                     commit)
            records = self.records()
            records[name] = record
            self._write_records(records)
            return record
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def update(self, name: str) -> InstalledPlugin:
        """Fetch the plugin again from its recorded source; the old copy stays if the new one fails."""
        record = self.records().get(name)
        source = record.source if record is not None else self._adoptable_source(name)
        try:
            new = self.install(source, replace=True)
        except InvalidPlugin as exc:  # install moved nothing: say that the old copy stays
            raise InvalidPlugin(exc.name, exc.problems, kept=True) from None
        if new.name != name:
            raise InstallError(f"the source of {name} ({record.source}) now holds the plugin {new.name}; "
                               f"{new.name} was installed, {name} left as it was")
        return new

    def _adoptable_source(self, name: str) -> str:
        """Where a hand-installed plugin can be updated from: its git clone's ``origin``."""
        dest = self.plugins_dir / name
        if not NAME_RE.match(name) or not dest.is_dir():
            raise InstallError(f"{name} is not installed in {self.plugins_dir}")
        origin = None
        if (dest / ".git").exists() and shutil.which("git"):
            done = subprocess.run(["git", "-C", str(dest), "remote", "get-url", "origin"], capture_output=True,
                                  text=True, timeout=60)
            origin = done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None
        if origin is None:
            raise InstallError(f"{name} in {dest} was not installed with `prtip plugin install` (it was put "
                               f"there by hand and is not a git clone with an origin remote): run `prtip plugin "
                               f"install SOURCE` once with where it came from; `prtip plugin update {name}` "
                               f"works after that")
        return origin

    def remove(self, name: str) -> Path:
        """Delete $PRTIP_HOME/plugins/NAME and its record; returns the folder removed."""
        if not NAME_RE.match(name):
            raise InstallError(f"{name!r} is not a plugin name")
        dest = self.plugins_dir / name
        records = self.records()
        if dest.is_symlink():
            dest.unlink()
        elif dest.is_dir():
            shutil.rmtree(dest)
        elif name not in records:
            raise InstallError(f"{name} is not installed in {self.plugins_dir}")
        if name in records:
            del records[name]
            self._write_records(records)
        return dest


# ---------------------------------------------------------------- the steps

def _copy_folder(src: Path, dest: Path) -> None:
    if not (src / MANIFEST_FILE).is_file() and not any(p.is_dir() for p in src.iterdir()):
        raise InstallError(f"{src}: no {MANIFEST_FILE} (not a plugin folder)")
    try:
        shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    except (OSError, shutil.Error) as exc:
        raise InstallError(f"cannot copy {src}: {exc}") from None
    check_tree(dest)


def _git_clone(url: str, dest: Path) -> str | None:
    """Clone the default branch (history depth 1) and drop .git; returns the commit."""
    if shutil.which("git") is None:
        raise InstallError("git is not installed: cannot install from a git repository")
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true")
    cmd = ["git", "-c", "protocol.ext.allow=never", "clone", "--quiet", "--depth", "1", "--", url, str(dest)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=GIT_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise InstallError(f"git clone {url}: no answer within {GIT_TIMEOUT} s") from None
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise InstallError(f"git clone {url}: {why}")
    rev = subprocess.run(["git", "-C", str(dest), "rev-parse", "HEAD"], capture_output=True, text=True, env=env)
    commit = rev.stdout.strip() if rev.returncode == 0 else None
    shutil.rmtree(dest / ".git", ignore_errors=True)
    try:
        check_tree(dest)
    except ArchiveError as exc:
        raise InstallError(str(exc)) from None
    return commit


def _plugin_root(fetched: Path, source: str) -> Path:
    """The folder holding plugin.toml: the top, or its only folder."""
    if (fetched / MANIFEST_FILE).is_file():
        return fetched
    entries = [p for p in fetched.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() \
            and (entries[0] / MANIFEST_FILE).is_file():
        return entries[0]
    raise InstallError(f"{source}: no {MANIFEST_FILE} at the top or in a single top-level folder")


def _shown(problem: Problem, staged: Path, source: str) -> Problem:
    """The problem with its file named inside the source, not in the staging folder (deleted)."""
    if problem.file.startswith(str(staged)):
        rel = os.path.relpath(problem.file, staged)
        return replace(problem, file=shown_path(source, rel))
    return problem


def shown_path(source: str, rel: str) -> str:
    """A file of the source as the user can find it: a path in a source folder, else
    ``SOURCE: FILE`` (a git URL or an archive has no such path on disk)."""
    local = Path(source).expanduser()
    if local.is_dir() and source_kind(source) == "folder":
        return str(local / rel)
    return f"{source}: {rel}"


def _manifest_identity(root: Path, source: str) -> tuple[str, str]:
    """The plugin's name and version (the folder name is not checked: it is named after this)."""
    shown = shown_path(source, MANIFEST_FILE)
    try:
        text = (root / MANIFEST_FILE).read_text(encoding="utf-8")
        m = parse_manifest(text, Path(MANIFEST_FILE))
    except ManifestError as exc:
        raise InvalidPlugin(source, [Problem(shown, exc.field or None, exc.line, exc.message)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidPlugin(source, [Problem(shown, None, None, f"cannot read: {exc}")]) from None
    return m.name, m.version


def _move_into_place(candidate: Path, dest: Path, staging: Path) -> None:
    old = None
    if dest.exists() or dest.is_symlink():
        old = staging / ".old"
        os.rename(dest, old)
    try:
        try:
            candidate.rename(dest)
        except OSError:  # another filesystem: copy
            shutil.copytree(candidate, dest, symlinks=True)
    except OSError as exc:
        if old is not None:
            old.rename(dest)
        raise InstallError(f"cannot install into {dest}: {exc.strerror or exc}") from None
