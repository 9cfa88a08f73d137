"""Hot reloading: a changed main.lua or plugin.toml is picked up before the next hook call,
during a real scan; a broken new version leaves the old one running and is logged once."""

from __future__ import annotations

import logging
import os

import pytest

from prtip.plugins.errors import PluginLoadError
from plugin_helpers import free_port, load_one, port_result, scan_with

VERSIONED = """
    function on_load(config) prtip.log("info", "load VERSION") return true end
    function on_unload() prtip.log("info", "unload VERSION") end
    function on_target(target, result) prtip.add_result("version", "VERSION") end
    """


def write_main(home, name: str, text: str) -> None:
    path = home.plugins / name / "main.lua"
    path.write_text(text)


def messages(caplog, name: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == f"prtip.plugins.{name}"]


class RewriteAfterFirst:
    """Wraps PluginHooks: after the first port result, the plugin's main.lua is replaced."""

    def __init__(self, hooks, rewrite) -> None:
        self.hooks, self.rewrite, self.done = hooks, rewrite, False

    def __getattr__(self, name):
        return getattr(self.hooks, name)

    def on_results(self, results):
        return [self.on_result(result) for result in results]

    def on_result(self, result):
        result = self.hooks.on_result(result)
        if not self.done:
            self.done = True
            self.rewrite()
        return result


def test_reload_during_a_real_scan(home, server, tmp_path, caplog, capsys):
    caplog.set_level(logging.INFO, logger="prtip")
    manager, plugin = load_one(home, "versioned", VERSIONED.replace("VERSION", "v1"), plugin_type="scan")
    ports = [server().port, server().port, free_port()]
    hooks = RewriteAfterFirst(manager.hooks(), lambda: write_main(home, "versioned", VERSIONED.replace("VERSION", "v2")))
    got = scan_with(hooks, sorted(ports), tmp_path / "scan.json", randomize=False)
    versions = [got[p]["plugins"]["versioned"]["version"] for p in sorted(ports)]
    assert versions == ["v1", "v2", "v2"]
    log = messages(caplog, "versioned")
    assert log.index("load v1") < log.index("load v2") < log.index("unload v1") < log.index("unload v2")
    assert hooks.errors == []


def test_broken_new_version_keeps_the_old_one_and_logs_once(home, caplog):
    caplog.set_level(logging.INFO, logger="prtip")
    manager, plugin = load_one(home, "steady", VERSIONED.replace("VERSION", "v1"), plugin_type="scan")
    hooks = manager.hooks()
    write_main(home, "steady", "function on_target(t, r) prtip.add_result('version', 'v2' end")
    for port in (1, 2, 3):
        assert hooks.on_result(port_result(port)).plugins["steady"]["version"] == "v1"
    failures = [m for m in messages(caplog, "steady") if m.startswith("reload failed")]
    assert len(failures) == 1 and "steady/main.lua:1:" in failures[0] and "')' expected" in failures[0]
    assert [f.kind for f in hooks.faults] == ["load"]
    write_main(home, "steady", VERSIONED.replace("VERSION", "v3"))
    assert hooks.on_result(port_result(4)).plugins["steady"]["version"] == "v3"
    assert "unload v1" in messages(caplog, "steady")


def test_new_version_whose_on_load_refuses_keeps_the_old(home):
    manager, plugin = load_one(home, "picky", VERSIONED.replace("VERSION", "v1"), plugin_type="scan")
    write_main(home, "picky", "function on_load(c) return 'not today' end\nfunction on_target(t, r) end")
    assert manager.hooks().on_result(port_result(1)).plugins["picky"]["version"] == "v1"
    assert "on_load refused: not today" in manager.faults[-1].message


def test_manifest_changes_are_picked_up(home):
    manager, plugin = load_one(home, "bumped", VERSIONED.replace("VERSION", "v1"), plugin_type="scan")
    toml = home.plugins / "bumped" / "plugin.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    manager.hooks().on_result(port_result(1))
    assert plugin.manifest.version == "1.1.0" and plugin.reloads == 1


def test_touching_without_changes_does_not_reload(home):
    manager, plugin = load_one(home, "touched", VERSIONED.replace("VERSION", "v1"), plugin_type="scan")
    main = home.plugins / "touched" / "main.lua"
    st = main.stat()
    os.utime(main, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    manager.hooks().on_result(port_result(1))
    assert plugin.reloads == 0


def test_manager_api_unload_and_reload(home, caplog):
    caplog.set_level(logging.INFO, logger="prtip")
    manager, plugin = load_one(home, "managed", VERSIONED.replace("VERSION", "v1"), plugin_type="scan")
    write_main(home, "managed", VERSIONED.replace("VERSION", "v2"))
    manager.reload_plugin("managed")
    assert messages(caplog, "managed")[-3:] == ["load v2", "unload v1", "reloaded (v1.0.0)"]
    write_main(home, "managed", "syntax error here")
    with pytest.raises(PluginLoadError, match="managed/main.lua:1:"):
        manager.reload_plugin("managed")
    assert manager.loaded["managed"].code is not None  # the old code still runs
    manager.unload_plugin("managed")
    assert "unload v2" in messages(caplog, "managed") and "managed" not in manager.loaded


def test_a_hook_added_by_the_new_version_is_called_at_once(home):
    manager, plugin = load_one(home, "growing", "function post_scan(results) end", plugin_type="scan")
    hooks = manager.hooks()
    assert hooks.on_result(port_result(1)).plugins == {}
    write_main(home, "growing", 'function post_scan(r) end\nfunction on_target(t, r) prtip.add_result("new", true) end')
    assert hooks.on_result(port_result(2)).plugins == {"growing": {"new": True}}
