"""prtip.tooling's public names (what the lead's CLI and other code may import) are pinned."""

from __future__ import annotations

import click

import prtip.tooling


def test_public_names():
    assert sorted(prtip.tooling.__all__) == [
        "ArchiveError", "InstallError", "Installer", "LuaTestResult", "Problem", "ToolingError",
        "installed_plugins", "run_plugin_tests", "run_test_file", "scaffold_plugin", "validate_plugin",
    ]
    for name in prtip.tooling.__all__:
        assert getattr(prtip.tooling, name) is not None


def test_plugin_group_commands():
    from prtip.tooling.cli import plugin_group

    assert isinstance(plugin_group, click.Group) and plugin_group.name == "plugin"
    assert sorted(plugin_group.commands) == ["info", "install", "list", "new", "remove", "test", "update", "validate"]
