"""prtip's plugin system: Lua 5.4 plugins (plugin.toml + main.lua) run sandboxed by luavm.

The modules, in the order data flows through them::

    settings.py     the operator's config.toml [plugins] section, $PRTIP_HOME
    manifest.py     plugin.toml -> Manifest (strict validation, errors name file/field/line)
    locations.py    plugin folders -> FoundPlugin (ok or broken, user beats system beats bundled)
    sandbox.py      a verified sandboxed LuaRuntime per plugin load (assumptions written there)
    api.py          the `prtip` table; fileio.py the confined `io`; connections.py sockets;
                    privileged.py the system and database capabilities; context.py what a
                    call knows; luaargs.py "bad argument" messages
    host.py         Plugin: load, per-call budgets, faults, hot reload, unload
    manager.py      PluginManager: discover_plugins / load_plugin / unload_plugin / reload_plugin
    tables.py       scan data <-> Lua tables, hook answers checked
    pluginhooks.py  PluginHooks: the scanner's ScanHooks carried out by plugins
    integration.py  --plugin, --list-plugins, --plugin-output, --log-level; logging
"""

from prtip.plugins.errors import (
    ManifestError, PluginError, PluginFault, PluginLoadError, SandboxError, UnknownPluginError,
)
from prtip.plugins.pluginhooks import PluginHooks
from prtip.plugins.host import Plugin
from prtip.plugins.manager import PluginManager
from prtip.plugins.manifest import Manifest, load_manifest, parse_manifest

__all__ = [
    "Manifest", "ManifestError", "Plugin", "PluginError", "PluginFault", "PluginHooks", "PluginLoadError",
    "PluginManager", "SandboxError", "UnknownPluginError", "load_manifest", "parse_manifest",
]
