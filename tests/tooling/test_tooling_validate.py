"""`prtip plugin validate`: exit 0 for a good plugin; one line per problem naming file and field."""

from __future__ import annotations

import pytest
from tooling_helpers import EXAMPLES, invoke, write_plugin

from prtip.tooling.validate import static_hooks, validate_plugin


def lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_good_plugin(home, tmp_path):
    folder = write_plugin(tmp_path, "fine", files={"README.md": "# fine"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 0
    assert lines(r.output) == ["fine v1.0.0 (detection) is valid; hooks: analyze_banner, on_load"]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_every_example_is_valid(name):
    report = validate_plugin(EXAMPLES / name)
    assert report.ok, [str(p) for p in report.errors]


BAD_MANIFESTS = [
    ('[plugin]\nname = "m"\nversion = 1.0.0\n', "plugin.toml:3: invalid TOML"),
    ('[plugin]\nname = "m"\nversion = "1.0"\nauthor = "a"\ndescription = "d"\nplugin_type = "scan"\n',
     "plugin.toml:3: plugin.version: '1.0' is not a semantic version"),
    ('[plugin]\nname = "m"\nversion = "1.0.0"\ndescription = "d"\nplugin_type = "scan"\n',
     "plugin.toml:1: plugin.author: required field is missing"),
    ('[plugin]\nname = "m"\nversion = "1.0.0"\nauthor = "a"\ndescription = "d"\nplugin_type = "detection"\n'
     'capabilities = ["root"]\n', "plugin.toml:7: plugin.capabilities: unknown capability 'root'"),
    ('[plugin]\nname = "other"\nversion = "1.0.0"\nauthor = "a"\ndescription = "d"\nplugin_type = "scan"\n',
     "plugin.toml:2: plugin.name: 'other' does not match its folder name 'm'"),
]


@pytest.mark.parametrize("manifest,expected", BAD_MANIFESTS)
def test_manifest_problems_name_file_line_and_field(home, tmp_path, manifest, expected):
    folder = write_plugin(tmp_path, "m", manifest=manifest, files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    [line] = lines(r.output)
    assert line.startswith(f"{folder}/{expected}"), line


def test_syntax_error_names_main_lua_and_line(home, tmp_path):
    folder = write_plugin(tmp_path, "broken", "function analyze_banner(b)\n  if b then\n    return 1\nend\n",
                          files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert lines(r.output) == [f"{folder}/main.lua:5: syntax: 'end' expected (to close 'function' at line 1) near <eof>"]


def test_several_problems_one_line_each(home, tmp_path):
    manifest = '[plugin]\nname = "two"\nversion = "x"\nauthor = "a"\ndescription = "d"\nplugin_type = "scan"\n'
    folder = write_plugin(tmp_path, "two", "x = = 1\n", manifest=manifest, files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert lines(r.output) == [
        f"{folder}/plugin.toml:3: plugin.version: 'x' is not a semantic version (major.minor.patch)",
        f"{folder}/main.lua:1: syntax: unexpected symbol near '='",
    ]


def test_missing_hooks_for_the_type(home, tmp_path):
    folder = write_plugin(tmp_path, "hookless", "function analyze(b) return nil end\n", files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert lines(r.output) == [
        f"{folder}/main.lua: hooks: a detection plugin must define at least one of analyze_banner, probe_service "
        "(found none)",
        f"{folder}/main.lua: warning: analyze: is not a prtip hook (did you mean analyze_banner?)",
    ]


def test_hooks_of_another_type_are_a_warning(home, tmp_path):
    main = "function on_load() return true end\nfunction analyze_banner(b) end\nfunction pre_scan(t) end\n"
    folder = write_plugin(tmp_path, "mixed", main, files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 0
    assert f"{folder}/main.lua: warning: pre_scan: is a scan plugin hook; a detection plugin's pre_scan is never " \
           "called" in r.output


def test_runtime_error_in_main_chunk_names_the_line(home, tmp_path):
    folder = write_plugin(tmp_path, "boom", "local t = nil\n\nt.x = 1\nfunction analyze_banner() end\n",
                          files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert lines(r.output) == [f"{folder}/main.lua:3: main chunk: attempt to index a nil value (local 't')"]


def test_on_load_refusal(home, tmp_path):
    main = "function on_load(c) return 'no database' end\nfunction analyze_banner() end\n"
    folder = write_plugin(tmp_path, "refuses", main, files={"README.md": "x"})
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert lines(r.output) == [f"{folder}/main.lua: load: on_load refused: no database"]


def test_missing_files(home, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert lines(r.output)[:2] == [
        f"{folder}/plugin.toml: file not found (every plugin needs plugin.toml)",
        f"{folder}/main.lua: file not found (every plugin needs main.lua)",
    ]
    assert invoke("validate", str(tmp_path / "nowhere")).exit_code == 1


def test_probe_without_network_is_a_warning(tmp_path):
    main = "function analyze_banner(b) end\nfunction probe_service(t) end\n"
    report = validate_plugin(write_plugin(tmp_path, "noprobe", main))
    assert report.ok
    assert any(p.field == "plugin.capabilities" and "network" in p.message for p in report.warnings)


def test_static_hooks():
    src = b"function a() end\n  b = function() end\nlocal function c() end\nlocal d = function() end\n"
    assert static_hooks(src) == {"a", "b"}
