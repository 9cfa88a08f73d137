"""Plugin discovery: which plugin folders exist, where they come from, and which are broken.

Search order (first copy of a name wins, so the user's copy beats the system's):

1. user:    $PRTIP_HOME/plugins, then every [plugins] user_path of config.toml
2. system:  every [plugins] system_path, then /opt/prtip/plugins
3. bundled: the examples shipped with prtip (prtip/bundled_plugins, or examples/plugins in a
            source checkout)

Discovery only reads plugin.toml; it never runs Lua. A folder whose manifest is missing or
invalid is still listed, as broken with its reason: one bad plugin never hides the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from prtip.plugins.errors import ManifestError
from prtip.plugins.manifest import MANIFEST_FILE, Manifest, load_manifest
from prtip.plugins.settings import PluginSettings

MAIN_FILE = "main.lua"
log = logging.getLogger("prtip.plugins")


@dataclass(frozen=True)
class FoundPlugin:
    """One plugin folder: its manifest when valid, else why it is broken."""

    name: str  # the folder's name
    path: Path
    source: str  # "user", "system", "bundled" (or "given" for explicit PluginManager folders)
    manifest: Manifest | None = None
    problem: str | None = None
    shadows: tuple[Path, ...] = ()  # other copies of the same name this one hides

    @property
    def ok(self) -> bool:
        return self.manifest is not None and self.problem is None

    @property
    def main_path(self) -> Path:
        return self.path / MAIN_FILE

    def listing(self) -> str:
        """`NAME vVERSION (TYPE)` as the plugin document shows it, then source and state."""
        m = self.manifest
        head = f"{m.name} v{m.version} ({m.plugin_type})" if m else f"{self.name}"
        state = "ok" if self.ok else f"broken: {self.problem}"
        return f"{head} [{self.source}: {self.path}] {state}"


def bundled_dir() -> Path:
    """The example plugins shipped with prtip (examples/plugins in a source checkout)."""
    import prtip

    package = Path(prtip.__file__).resolve().parent
    checkout = package.parent / "examples" / "plugins"
    return checkout if checkout.is_dir() else package / "bundled_plugins"


def search_path(settings: PluginSettings, include_bundled: bool = True) -> list[tuple[str, Path]]:
    """(source, folder) pairs in priority order."""
    out = [("user", p) for p in settings.user_paths] + [("system", p) for p in settings.system_paths]
    if include_bundled:
        out.append(("bundled", bundled_dir()))
    return out


def inspect_folder(folder: Path, source: str) -> FoundPlugin:
    """Validate one plugin folder without running it."""
    name = folder.name
    try:
        manifest = load_manifest(folder)
    except ManifestError as exc:
        return FoundPlugin(name, folder, source, problem=str(exc))
    if not (folder / MAIN_FILE).is_file():
        return FoundPlugin(name, folder, source, manifest,
                           problem=f"{folder / MAIN_FILE}: file not found (every plugin needs main.lua)")
    return FoundPlugin(name, folder, source, manifest)


def discover(roots: list[tuple[str, Path]]) -> dict[str, FoundPlugin]:
    """Every plugin folder under ``roots``; earlier roots win on name clashes."""
    found: dict[str, FoundPlugin] = {}
    for source, root in roots:
        try:
            entries = sorted(root.iterdir())
        except FileNotFoundError:
            log.debug("plugin folder %s does not exist", root)
            continue
        except OSError as exc:
            log.warning("cannot read plugin folder %s: %s", root, exc.strerror or exc)
            continue
        for folder in entries:
            if folder.name.startswith(".") or not _is_dir(folder):
                continue
            if not (folder / MANIFEST_FILE).exists() and not (folder / MAIN_FILE).exists():
                log.debug("ignoring %s: neither %s nor %s", folder, MANIFEST_FILE, MAIN_FILE)
                continue
            if folder.name in found:
                winner = found[folder.name]
                log.debug("plugin %s at %s is hidden by %s (%s)", folder.name, folder, winner.path, winner.source)
                found[folder.name] = _with_shadow(winner, folder)
                continue
            plugin = inspect_folder(folder, source)
            if plugin.ok:
                log.debug("found plugin %s v%s (%s) at %s", plugin.name, plugin.manifest.version,  # type: ignore[union-attr]
                          plugin.manifest.plugin_type, folder)  # type: ignore[union-attr]
            else:
                log.debug("rejected plugin %s: %s", folder.name, plugin.problem)
            found[folder.name] = plugin
    return found


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _with_shadow(plugin: FoundPlugin, hidden: Path) -> FoundPlugin:
    from dataclasses import replace

    return replace(plugin, shadows=plugin.shadows + (hidden,))
