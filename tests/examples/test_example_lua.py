"""Each example's own Lua unit tests pass under `prtip plugin test`, and each example validates."""

from __future__ import annotations

import pytest
from example_helpers import EXAMPLES

from prtip.plugins.manifest import load_manifest
from prtip.tooling.luatest import find_test_files, run_plugin_tests
from prtip.tooling.validate import validate_plugin

NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
TYPES = {"banner-analyzer": ("detection", frozenset()), "ssl-checker": ("detection", frozenset({"network"})),
         "http-version-detector": ("detection", frozenset()), "csv-export": ("output", frozenset({"filesystem"})),
         "scan-statistics": ("scan", frozenset())}


def test_the_five_examples_are_there():
    assert NAMES == sorted(TYPES)


@pytest.mark.parametrize("name", NAMES)
def test_example_files(name):
    folder = EXAMPLES / name
    for file in ("plugin.toml", "main.lua", "README.md", f"test_{name.replace('-', '_')}.lua"):
        assert (folder / file).is_file(), file
    m = load_manifest(folder)
    assert (m.plugin_type, m.capabilities) == TYPES[name]
    readme = (folder / "README.md").read_text()
    for section in ("## Overview", "## Installation", "## Usage", "## API", "## Troubleshooting"):
        assert section in readme, section


@pytest.mark.parametrize("name", NAMES)
def test_example_lua_tests_pass(name):
    folder = EXAMPLES / name
    assert find_test_files(folder)
    for result in run_plugin_tests(folder):
        assert result.ok, result.report()
        assert result.output.rstrip().endswith("All tests passed!")


@pytest.mark.parametrize("name", NAMES)
def test_example_validates_without_errors(name):
    report = validate_plugin(EXAMPLES / name)
    assert report.ok, [str(p) for p in report.errors]
