"""plugin.toml validation: the spec's manifests load; every bad one names file, field and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from prtip.plugins.errors import ManifestError
from prtip.plugins.manifest import load_manifest, parse_manifest, semver_key

# The document's complete metadata specification, as written.
SPEC_MANIFEST = """\
[plugin]
name = "my-plugin" # Required: Plugin identifier
version = "1.0.0" # Required: Semantic version
author = "Your Name" # Required: Author name/email
description = "Plugin description" # Required: Short description
license = "GPL-3.0" # Optional: License (default GPL-3.0)
plugin_type = "detection" # Required: scan/output/detection
capabilities = ["network"] # Optional: Required capabilities
[plugin.dependencies]
min_prtip_version = "0.1.0" # Optional: Minimum ProRT-IP version
lua_version = "5.4" # Optional: Lua version
[plugin.metadata]
tags = ["detection", "banner"] # Optional: Search tags
category = "detection" # Optional: Category
homepage = "https://example.com" # Optional: Plugin homepage
repository = "https://github.com/..." # Optional: Source repository
"""

GOOD = """\
[plugin]
name = "my-plugin"
version = "1.0.0"
author = "Your Name"
description = "My first ProRT-IP plugin"
plugin_type = "detection"
capabilities = []
"""


def folder_with(tmp_path: Path, text: str, name: str = "my-plugin") -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "plugin.toml").write_text(text)
    return folder


def test_spec_manifest_loads_with_every_field(tmp_path):
    m = load_manifest(folder_with(tmp_path, SPEC_MANIFEST))
    assert (m.name, m.version, m.author, m.plugin_type) == ("my-plugin", "1.0.0", "Your Name", "detection")
    assert m.capabilities == frozenset({"network"}) and m.license == "GPL-3.0"
    assert m.min_prtip_version == "0.1.0" and m.lua_version == "5.4"
    assert m.metadata["tags"] == ["detection", "banner"] and m.metadata["homepage"] == "https://example.com"


def test_quick_start_manifest_defaults(tmp_path):
    m = load_manifest(folder_with(tmp_path, GOOD))
    assert m.capabilities == frozenset() and m.license == "GPL-3.0" and dict(m.config) == {}


def test_config_table_is_kept_for_on_load(tmp_path):
    m = load_manifest(folder_with(tmp_path, GOOD + '\n[config]\nthreshold = 3\nwords = ["a", "b"]\n'))
    assert dict(m.config) == {"threshold": 3, "words": ["a", "b"]}


def error_for(tmp_path: Path, text: str, folder: str = "my-plugin") -> ManifestError:
    with pytest.raises(ManifestError) as info:
        load_manifest(folder_with(tmp_path, text, folder))
    return info.value


def replace_line(key: str, value: str) -> str:
    lines = [f"{key} = {value}" if line.startswith(f"{key} =") else line for line in GOOD.splitlines()]
    return "\n".join(lines) + "\n"


def drop_line(key: str) -> str:
    return "\n".join(line for line in GOOD.splitlines() if not line.startswith(f"{key} =")) + "\n"


@pytest.mark.parametrize("text, field, line, words", [
    (drop_line("name"), "plugin.name", 1, "required field is missing"),  # line of [plugin]
    (drop_line("version"), "plugin.version", 1, "required"),
    (drop_line("author"), "plugin.author", 1, "required"),
    (drop_line("description"), "plugin.description", 1, "required"),
    (drop_line("plugin_type"), "plugin.plugin_type", 1, "required"),
    (replace_line("name", '"My-Plugin"'), "plugin.name", 2, "not a valid plugin name"),
    (replace_line("name", '"../my-plugin"'), "plugin.name", 2, "not a valid plugin name"),
    (replace_line("name", '"my_plugin"'), "plugin.name", 2, "not a valid plugin name"),
    (replace_line("name", '"my--plugin"'), "plugin.name", 2, "not a valid plugin name"),
    (replace_line("name", '"other-plugin"'), "plugin.name", 2, "does not match its folder name"),
    (replace_line("name", "7"), "plugin.name", 2, "must be a string, not an integer"),
    (replace_line("version", '"1.0"'), "plugin.version", 3, "not a semantic version"),
    (replace_line("version", '"v1.0.0"'), "plugin.version", 3, "not a semantic version"),
    (replace_line("author", '""'), "plugin.author", 4, "must not be empty"),
    (replace_line("description", '"' + "x" * 81 + '"'), "plugin.description", 5, "81 characters long (at most 80)"),
    (replace_line("description", '"""two\nlines"""'), "plugin.description", 5, "single line"),
    (replace_line("plugin_type", '"scanner"'), "plugin.plugin_type", 6, "not a plugin type"),
    (replace_line("capabilities", '["network", "root"]'), "plugin.capabilities", 7, "unknown capability 'root'"),
    (replace_line("capabilities", '"network"'), "plugin.capabilities", 7, "must be an array"),
    (replace_line("capabilities", '["network", "network"]'), "plugin.capabilities", 7, "twice"),
    (GOOD + 'capabilites = ["network"]\n', "plugin.capabilites", 8, "unknown field"),
    (GOOD + '[plugin.dependencies]\nmin_prtip_version = "99.0.0"\n', "plugin.dependencies.min_prtip_version", 9,
     "needs prtip 99.0.0 or newer; this is prtip"),
    (GOOD + '[plugin.dependencies]\nmin_prtip_version = "0.4"\n', "plugin.dependencies.min_prtip_version", 9,
     "not a semantic version"),
    (GOOD + '[plugin.dependencies]\nlua_version = "5.1"\n', "plugin.dependencies.lua_version", 9,
     "not available"),
    (GOOD + '[plugin.dependencies]\npython = "3"\n', "plugin.dependencies.python", 9, "unknown field"),
    (GOOD + '[plugin.metadata]\ntags = "x"\n', "plugin.metadata.tags", 9, "array of strings"),
    (GOOD + 'config = 3\n', "plugin.config", 8, "unknown field"),
    (GOOD + '[extra]\nx = 1\n', "extra", 8, "unknown field"),
    (GOOD.replace("[plugin]", "[plugins]"), "plugins", 1, "unknown field"),
])
def test_bad_manifests_name_file_field_and_line(tmp_path, text, field, line, words):
    err = error_for(tmp_path, text)
    assert err.file.endswith("my-plugin/plugin.toml")
    assert err.field == field
    assert err.line == line
    assert words in err.message
    assert "\n" not in str(err) and str(err).startswith(err.file)


@pytest.mark.parametrize("text, line", [
    (GOOD.replace('version = "1.0.0"', 'version = "1.0.0'), 3),
    (GOOD.replace("[plugin]", "[plugin"), 1),
    (GOOD + "oops\n", 8),
    (GOOD.replace('author = "Your Name"', "author = Your Name"), 4),
])
def test_toml_syntax_errors_give_the_line(tmp_path, text, line):
    err = error_for(tmp_path, text)
    assert err.line == line and err.message.startswith("invalid TOML")
    assert str(err).startswith(f"{err.file}:{line}: ")


def test_missing_manifest_and_non_utf8(tmp_path):
    (tmp_path / "my-plugin").mkdir()
    with pytest.raises(ManifestError, match="file not found"):
        load_manifest(tmp_path / "my-plugin")
    (tmp_path / "my-plugin" / "plugin.toml").write_bytes(GOOD.encode() + b'x = "\xff"\n')
    with pytest.raises(ManifestError, match="not UTF-8"):
        load_manifest(tmp_path / "my-plugin")


def test_parse_without_folder_check():
    m = parse_manifest(GOOD, Path("x/plugin.toml"))
    assert m.name == "my-plugin"


def test_semver_order():
    assert semver_key("1.0.0-alpha") < semver_key("1.0.0-alpha.1") < semver_key("1.0.0-beta") < semver_key("1.0.0")
    assert semver_key("0.4.0") < semver_key("0.10.0") < semver_key("1.0.0+build.5") == semver_key("1.0.0")


def test_min_prtip_version_compares_with_the_running_version(tmp_path):
    from prtip import __version__

    ok = GOOD + textwrap.dedent(f"""\
        [plugin.dependencies]
        min_prtip_version = "{__version__}"
        """)
    assert load_manifest(folder_with(tmp_path, ok)).min_prtip_version == __version__


def test_public_names_of_the_plugin_package():
    import prtip.plugins

    assert sorted(prtip.plugins.__all__) == [
        "Manifest", "ManifestError", "Plugin", "PluginError", "PluginFault", "PluginHooks", "PluginLoadError",
        "PluginManager", "SandboxError", "UnknownPluginError", "load_manifest", "parse_manifest"]
    for name in prtip.plugins.__all__:
        assert getattr(prtip.plugins, name) is not None
