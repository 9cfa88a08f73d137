"""Discovery: user beats system beats bundled, config.toml paths, broken plugins listed not fatal."""

from __future__ import annotations

from pathlib import Path

from prtip.plugins.locations import bundled_dir, discover, search_path
from prtip.plugins.settings import load_settings

from plugin_helpers import prtip, write_plugin

DETECT = 'function analyze_banner(banner) return nil end\n'


def test_user_copy_wins_over_system_copy(home, tmp_path):
    system = tmp_path / "opt-plugins"
    write_plugin(system, "dup", DETECT)
    write_plugin(system, "only-system", DETECT)
    write_plugin(home.plugins, "dup", DETECT)
    settings = load_settings(home.path, system_config=None, system_plugin_path=system)
    found = discover(search_path(settings, include_bundled=False))
    assert found["dup"].source == "user" and found["dup"].path == home.plugins / "dup"
    assert found["dup"].shadows == (system / "dup",)
    assert found["only-system"].source == "system" and found["only-system"].ok


def test_config_toml_paths_with_tilde_and_system_config(home, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "fake-home"))
    extra_user = tmp_path / "fake-home" / "more-plugins"
    write_plugin(extra_user, "from-user-path", DETECT)
    etc = tmp_path / "etc-config.toml"
    sys_dir = tmp_path / "site-plugins"
    write_plugin(sys_dir, "from-system-path", DETECT)
    etc.write_text(f'[plugins]\nsystem_path = "{sys_dir}"\nuser_path = "~/.prtip/plugins"\n')
    home.config('[plugins]\nuser_path = "~/more-plugins"\n')
    settings = load_settings(home.path, system_config=etc, system_plugin_path=None)
    assert extra_user in settings.user_paths and sys_dir in settings.system_paths
    assert Path(tmp_path / "fake-home" / ".prtip" / "plugins") in settings.user_paths  # "~" expanded
    found = discover(search_path(settings, include_bundled=False))
    assert found["from-user-path"].source == "user"
    assert found["from-system-path"].source == "system"
    assert settings.config_files == (etc, home.path / "config.toml")


def test_broken_plugins_are_listed_and_do_not_stop_others(home):
    home.plugin("good-one", DETECT)
    bad = home.plugin("bad-toml", DETECT)
    (bad / "plugin.toml").write_text("[plugin\n")
    no_main = home.plugin("no-main", DETECT)
    (no_main / "main.lua").unlink()
    home.plugin("wrong-name", DETECT, extra="")
    (home.plugins / "wrong-name" / "plugin.toml").write_text(
        (home.plugins / "wrong-name" / "plugin.toml").read_text().replace('"wrong-name"', '"right-name"'))
    (home.plugins / "only-main").mkdir()
    (home.plugins / "only-main" / "main.lua").write_text(DETECT)
    (home.plugins / "not-a-plugin").mkdir()  # empty folders are ignored
    (home.plugins / ".hidden").mkdir()
    found = {p.name: p for p in home.manager(plugin_dirs=None).discover_plugins()}
    assert found["good-one"].ok
    assert "bad-toml/plugin.toml:1: invalid TOML" in found["bad-toml"].problem
    assert "main.lua: file not found" in found["no-main"].problem
    assert "does not match its folder name 'wrong-name'" in found["wrong-name"].problem
    assert "plugin.toml: file not found" in found["only-main"].problem
    assert "not-a-plugin" not in found and ".hidden" not in found


def test_unreadable_or_missing_roots_are_skipped(home, tmp_path):
    settings = load_settings(home.path, system_config=None, system_plugin_path=tmp_path / "nope")
    assert discover(search_path(settings, include_bundled=False)) == {}


def test_bad_config_settings_are_reported_not_fatal(home):
    home.config("""
        [plugins]
        allow_connect = ["not-a-network", "127.0.0.0/8"]
        [plugins.limits]
        instructions = -5
        memory = "64KiB"
        [plugins.limits.some-plugin]
        seconds = 0.5
        """)
    s = home.settings()
    assert any("allow_connect" in p and "not-a-network" in p for p in s.problems)
    assert any("instructions" in p for p in s.problems)
    assert s.limits.instructions == 1_000_000 and s.limits.memory == 64 * 1024
    assert s.limits_for("some-plugin").seconds == 0.5 and s.limits_for("some-plugin").memory == 64 * 1024
    assert [str(n) for n in s.allow_connect] == ["127.0.0.0/8"]


def test_bundled_examples_are_found_from_a_checkout():
    # in a source checkout the examples folder is the bundle; installed, prtip/bundled_plugins
    assert bundled_dir().name in ("plugins", "bundled_plugins")


def test_list_plugins_prints_name_version_type_source_and_state(home):
    home.plugin("my-plugin", DETECT)
    broken = home.plugin("broken-one", DETECT)
    (broken / "plugin.toml").write_text('[plugin]\nname = "broken-one"\n')
    run = prtip(home, "--list-plugins")
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    mine = next(line for line in lines if line.startswith("my-plugin "))
    assert mine.startswith("my-plugin v1.0.0 (detection) [user: ") and mine.endswith("] ok")
    bad = next(line for line in lines if line.startswith("broken-one"))
    assert "broken: " in bad and "plugin.version: required field is missing" in bad


def test_log_level_debug_shows_why_a_plugin_was_rejected(home):
    broken = home.plugin("broken-one", DETECT)
    (broken / "plugin.toml").write_text(
        (broken / "plugin.toml").read_text().replace('plugin_type = "detection"', 'plugin_type = "magic"'))
    quiet = prtip(home, "--list-plugins")
    assert "rejected plugin broken-one" not in quiet.err
    run = prtip(home, "--log-level", "debug", "--list-plugins")
    assert run.status == 0
    assert "rejected plugin broken-one" in run.err and "'magic' is not a plugin type" in run.err
    assert "rejected plugin broken-one" in home.log.read_text()


def test_the_documents_integration_test_with_plugin_manager(home, tmp_path):
    # PluginManager::new(temp_dir); copy_example_plugin(temp_dir, "my-plugin"); discover; load is ok
    from prtip.plugins import PluginManager

    from test_plugin_cli import QUICK_MAIN, QUICK_TOML

    temp_dir = tmp_path / "temp"
    (temp_dir / "my-plugin").mkdir(parents=True)
    (temp_dir / "my-plugin" / "plugin.toml").write_text(QUICK_TOML)
    (temp_dir / "my-plugin" / "main.lua").write_text(QUICK_MAIN)
    manager = PluginManager(temp_dir)
    assert [p.name for p in manager.discover_plugins()] == ["my-plugin"]
    plugin = manager.load_plugin("my-plugin")
    assert plugin.manifest.version == "1.0.0" and plugin.has_hook("analyze_banner")
    manager.unload_plugin("my-plugin")
