"""PluginManager: discover, load, unload and reload plugins by name, for the CLI and for Python.

    manager = PluginManager([tmp / "plugins"])      # or PluginManager() for the standard paths
    manager.discover_plugins()
    manager.load_plugin("my-plugin")                 # raises PluginLoadError with the reason
    hooks = manager.hooks()                          # a ScanHooks for prtip.pipeline.execute

With explicit ``plugin_dirs`` only those folders are searched (first wins); without, the
standard search path of locations.py (user, system, bundled) is used.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from prtip.plugins.context import ScanContext
from prtip.plugins.locations import FoundPlugin, discover, search_path
from prtip.plugins.errors import PluginFault, PluginLoadError, UnknownPluginError
from prtip.plugins.host import Plugin
from prtip.plugins.manifest import NAME_RE
from prtip.plugins.settings import PluginSettings, load_settings

if TYPE_CHECKING:
    from prtip.plugins.pluginhooks import PluginHooks

log = logging.getLogger("prtip.plugins")


class PluginManager:
    """The plugins known to one prtip run, and the loaded ones (in load order)."""

    def __init__(self, plugin_dirs: Path | str | Iterable[Path | str] | None = None, *,
                 settings: PluginSettings | None = None, scan: ScanContext | None = None) -> None:
        self.settings = settings if settings is not None else load_settings()
        for problem in self.settings.problems:
            log.warning("config: %s", problem)
        if plugin_dirs is None:
            self.roots = search_path(self.settings)
        else:
            dirs = [plugin_dirs] if isinstance(plugin_dirs, (str, Path)) else list(plugin_dirs)
            self.roots = [("given", Path(d)) for d in dirs]
        self.scan = scan if scan is not None else ScanContext()
        self.found: dict[str, FoundPlugin] = {}
        self.loaded: dict[str, Plugin] = {}
        self.faults: list[PluginFault] = []
        self.fault_listeners: list = []
        self.discovered = False

    # ------------------------------------------------------------------ discovery

    def discover_plugins(self) -> list[FoundPlugin]:
        """Scan the plugin folders again; broken plugins are included, with their reason."""
        self.found = discover(self.roots)
        self.discovered = True
        return sorted(self.found.values(), key=lambda p: p.name)

    def get(self, name: str) -> FoundPlugin:
        if not self.discovered:
            self.discover_plugins()
        if not NAME_RE.match(name):
            raise UnknownPluginError(name)
        if name not in self.found:
            self.discover_plugins()  # installed since the last look?
            if name not in self.found:
                raise UnknownPluginError(name)
        return self.found[name]

    # ------------------------------------------------------------------ loading

    def record(self, fault: PluginFault) -> None:
        self.faults.append(fault)
        for listener in self.fault_listeners:
            listener(fault)

    def load_plugin(self, name: str) -> Plugin:
        """Load ``name`` (already loaded: returned as is). Raises UnknownPluginError, PluginLoadError."""
        if name in self.loaded:
            return self.loaded[name]
        found = self.get(name)
        if not found.ok:
            self.discover_plugins()  # the folder may have been fixed since: look again before refusing
            found = self.found.get(name, found)
            if not found.ok:
                raise PluginLoadError(name, found.problem or "broken")
        plugin = Plugin(found, self.settings, self.scan, self.record)
        plugin.load()
        self.loaded[name] = plugin
        log.info("plugin %s v%s (%s) loaded from %s", name, plugin.manifest.version,  # type: ignore[union-attr]
                 plugin.plugin_type, found.path)
        return plugin

    def unload_plugin(self, name: str) -> None:
        """Call the plugin's on_unload and drop it. Unknown or not loaded: UnknownPluginError."""
        plugin = self.loaded.pop(name, None)
        if plugin is None:
            raise UnknownPluginError(name)
        plugin.unload()
        log.info("plugin %s unloaded", name)

    def reload_plugin(self, name: str) -> Plugin:
        """Reload now from disk; if the new version fails, the old one stays loaded (and this raises)."""
        plugin = self.loaded.get(name)
        if plugin is None:
            return self.load_plugin(name)
        plugin.load()
        return plugin

    def unload_all(self) -> None:
        for name in list(self.loaded):
            self.unload_plugin(name)

    def hooks(self) -> PluginHooks:
        """A ScanHooks running the loaded plugins (in load order) for one scan."""
        from prtip.plugins.pluginhooks import PluginHooks

        return PluginHooks(self)
