"""prtip's plugin system: Lua 5.4 plugins (plugin.toml + main.lua) run sandboxed by luavm.

The modules, in the order data flows through them::

    settings.py     the operator's config.toml [plugins] section, $PRTIP_HOME
    manifest.py     plugin.toml -> Manifest (strict validation, errors name file/field/line)
    locations.py    plugin folders -> FoundPlugin (ok or broken, user beats system beats bundled)
    sandbox.py      a verified sandboxed LuaRuntime per plugin load (assumptions written there)
    api.py          the `prtip` table; fileio.py the confined `io`; connections.py sockets;
                    privileged.py the system and database capabilities; context.py what a
                    call knows ("bad argument" messages are luavm's checks)
    host.py         Plugin: load, per-call budgets, faults, hot reload, unload
    manager.py      PluginManager: discover_plugins / load_plugin / unload_plugin / reload_plugin
    tables.py       scan data <-> Lua tables, hook answers checked
    pluginhooks.py  PluginHooks: the scanner's ScanHooks carried out by plugins
    integration.py  the command's part: logging, --list-plugins, ScanConfig -> the scan's hooks
"""

# The names below load on first use (PEP 562): `prtip -sT` without --plugin never pays for
# luavm, lark and the sandbox (about 0.15 s of start-up).
_EXPORTS = {
    "ManifestError": "errors", "PluginError": "errors", "PluginFault": "errors",
    "PluginLoadError": "errors", "SandboxError": "errors", "UnknownPluginError": "errors",
    "PluginHooks": "pluginhooks", "Plugin": "host", "PluginManager": "manager",
    "Manifest": "manifest", "load_manifest": "manifest", "parse_manifest": "manifest",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'prtip.plugins' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"prtip.plugins.{module}"), name)
    globals()[name] = value
    return value
