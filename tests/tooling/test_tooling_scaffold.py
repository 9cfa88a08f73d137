"""`prtip plugin new`: the scaffold validates, loads in the plugin host, and passes its own test."""

from __future__ import annotations

import tomllib

import pytest
from tooling_helpers import invoke

from prtip.plugins.host import HOOKS
from prtip.plugins.manifest import load_manifest
from prtip.tooling.errors import ScaffoldError
from prtip.tooling.luatest import run_plugin_tests
from prtip.tooling.scaffold import scaffold_plugin
from prtip.tooling.validate import validate_plugin


@pytest.mark.parametrize("plugin_type", ["scan", "output", "detection"])
def test_new_plugin_is_valid_and_its_test_passes(home, tmp_path, plugin_type):
    r = invoke("new", "my-plugin", "--type", plugin_type, "--dir", str(tmp_path / "src"))
    assert r.exit_code == 0, r.output
    folder = tmp_path / "src" / "my-plugin"
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "main.lua", "plugin.toml", "test_my_plugin.lua"]
    manifest = load_manifest(folder)
    assert (manifest.name, manifest.version, manifest.plugin_type) == ("my-plugin", "0.1.0", plugin_type)
    assert manifest.capabilities == (frozenset({"filesystem"}) if plugin_type == "output" else frozenset())
    report = validate_plugin(folder)
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    assert set(HOOKS[plugin_type]) - {"probe_service"} <= report.hooks
    assert {"on_load", "on_unload"} <= report.hooks
    results = run_plugin_tests(folder)
    assert [r.ok for r in results] == [True], results[0].report()
    assert "All tests passed!" in results[0].output


def test_new_in_current_directory(home):
    r = invoke("new", "here", "--type", "detection")
    assert r.exit_code == 0, r.output
    assert (home.parent / "work" / "here" / "plugin.toml").is_file()


def test_readme_has_the_guide_sections(tmp_path):
    folder = scaffold_plugin("doc-me", "scan", tmp_path)
    text = (folder / "README.md").read_text()
    for section in ("## Overview", "## Installation", "## Usage", "## API", "## Troubleshooting"):
        assert section in text


def test_author_and_description_go_into_the_manifest(tmp_path):
    folder = scaffold_plugin("mine", "output", tmp_path, author="Ada <ada@example.com>", description="CSV for Ada")
    data = tomllib.loads((folder / "plugin.toml").read_text())
    assert data["plugin"]["author"] == "Ada <ada@example.com>"
    assert data["plugin"]["description"] == "CSV for Ada"


@pytest.mark.parametrize("name", ["My-Plugin", "my_plugin", "../evil", "-x", "a--b", ""])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(ScaffoldError, match="not a valid plugin name"):
        scaffold_plugin(name, "scan", tmp_path)
    assert not any(tmp_path.iterdir())


def test_existing_folder_is_not_overwritten(home, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "main.lua").write_text("-- mine")
    r = invoke("new", "taken", "--type", "scan", "--dir", str(tmp_path))
    assert r.exit_code == 3
    assert "already exists" in r.output
    assert (tmp_path / "taken" / "main.lua").read_text() == "-- mine"


def test_type_is_required_and_checked(home):
    assert invoke("new", "x").exit_code == 2
    assert invoke("new", "x", "--type", "exploit").exit_code == 2


def test_long_description_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="80 characters"):
        scaffold_plugin("long", "scan", tmp_path, description="x" * 81)
