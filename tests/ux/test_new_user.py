"""Issue 13, items 3-9: what a plugin author following the plugin document hits first, each
driven through the prtip command with real plugin folders (and a real 127.0.0.1 service)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from ux_helpers import ROOT_ENV, prtip, write_plugin

SCAN = "-sS" if os.geteuid() == 0 else "-sT"

# the plugin document's "Development Workflow", steps 2 and 3, as written (plus a hook of its type)
WORKFLOW_TOML = """\
[plugin]
name = "my-plugin"
version = "1.0.0"
author = "Your Name <your.email@example.com>"
description = "One-line description"
plugin_type = "detection"
capabilities = [] # Add as needed
[plugin.dependencies]
min_prtip_version = "0.4.0"
lua_version = "5.4"
[plugin.metadata]
tags = ["detection", "custom"]
category = "detection"
"""
WORKFLOW_MAIN = """\
function on_load(config)
prtip.log("info", "my-plugin loaded")
-- Initialize state
return true
end
function on_unload()
prtip.log("info", "my-plugin unloaded")
-- Cleanup state
end
function analyze_banner(banner)
return nil
end
"""


def test_the_documents_workflow_manifest_loads(home, server, tmp_path):
    folder = home.plugins / "my-plugin"
    folder.mkdir()
    (folder / "plugin.toml").write_text(WORKFLOW_TOML)
    (folder / "main.lua").write_text(WORKFLOW_MAIN)
    run = prtip(home, "--list-plugins")
    assert f"my-plugin v1.0.0 (detection) [user: {folder}] ok" in run.out.splitlines(), run.out + run.err
    svc = server(greeting=b"HTTP/1.0 200 OK\r\n\r\n")
    out = tmp_path / "s.json"
    run = prtip(home, SCAN, "-p", str(svc.port), "127.0.0.1", "--plugin", "my-plugin", "-oJ", str(out))
    assert run.status == 0 and json.loads(out.read_text())["errors"] == [], run.err
    assert "my-plugin loaded" in home.log.read_text()
    # the version and the plugin API version it implements are what `prtip -V` says
    version = prtip(home, "-V")
    assert version.out.startswith("prtip 0.5.") and "plugin API 0.5" in version.out


def test_a_plugin_needing_a_newer_prtip_is_refused_naming_both_versions(home):
    folder = home.plugins / "my-plugin"
    folder.mkdir()
    (folder / "plugin.toml").write_text(WORKFLOW_TOML.replace('"0.4.0"', '"9.0.0"'))
    (folder / "main.lua").write_text(WORKFLOW_MAIN)
    run = prtip(home, "--list-plugins")
    line = next(line for line in run.out.splitlines() if line.startswith("my-plugin"))
    assert "broken:" in line and "needs prtip 9.0.0 or newer; this is prtip 0.5." in line


def test_list_plugins_compiles_main_lua_and_checks_the_hooks(home):
    write_plugin(home.plugins, "syntax-error", "function analyze_banner(b)\n  this is not lua\nend\n")
    write_plugin(home.plugins, "no-hooks", "function on_load() return true end\n")
    write_plugin(home.plugins, "fine", "function analyze_banner(b) return nil end\n")
    # compiling is not running: a main chunk that would loop forever still lists quickly, as ok
    write_plugin(home.plugins, "loops", "function analyze_banner(b) return nil end\nwhile true do end\n")
    run = prtip(home, "--list-plugins", timeout=60)
    assert run.status == 0, run.err
    lines = {line.split(" ")[0]: line for line in run.out.splitlines()}
    main = home.plugins / "syntax-error" / "main.lua"
    assert lines["syntax-error"].endswith(f"broken: {main}:2: syntax: syntax error near 'is'"), lines["syntax-error"]
    assert "broken: " in lines["no-hooks"] and "must define at least one of analyze_banner, probe_service" \
        in lines["no-hooks"]
    assert lines["fine"].endswith("] ok") and lines["loops"].endswith("] ok")
    debug = prtip(home, "--list-plugins", "--log-level", "debug")
    assert f"syntax-error: {main}:2: syntax:" in debug.err
    assert "no-hooks: " in debug.err and "fine: " in debug.err  # warnings too (no README.md)


def test_plugin_new_then_validate_dot(home, tmp_path):
    env = ROOT_ENV(home)
    cmd = [sys.executable, "-m", "prtip", "plugin"]
    new = subprocess.run(cmd + ["new", "author-plugin", "--type", "detection"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)
    assert new.returncode == 0, new.stderr
    for spelling in (".", "./", "../author-plugin", str(tmp_path / "author-plugin") + "/"):
        run = subprocess.run(cmd + ["validate", spelling], cwd=tmp_path / "author-plugin", env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, (spelling, run.stderr)
        assert "author-plugin v0.1.0 (detection) is valid" in run.stdout
    manifest = (tmp_path / "author-plugin" / "plugin.toml").read_text()
    assert 'min_prtip_version = "0.5.0"' in manifest  # what the scaffold writes is this prtip's API


def test_api_functions_documented_as_nil_return_one_nil(home, tmp_path):
    write_plugin(home.plugins, "nils", textwrap.dedent("""\
        function on_load(config)
            prtip.log("info", "get_target: " .. select("#", prtip.get_target()) .. " "
                      .. tostring(prtip.get_target()))
            return true
        end
        function analyze_banner(b) return nil end
        """))
    run = prtip(home, "--list-plugins")  # discovery only: nothing runs
    assert "nils v1.0.0" in run.out
    out = tmp_path / "s.json"
    run = prtip(home, SCAN, "-p", "1", "127.0.0.1", "--plugin", "nils", "-oJ", str(out))
    assert run.status == 0, run.err
    assert json.loads(out.read_text())["errors"] == []
    assert "get_target: 1 nil" in home.log.read_text()


def test_nil_returns_count_as_one_value_in_scans_and_in_plugin_tests(home, tmp_path):
    """Functions documented to return nil (or nil, message) return exactly that many values."""
    write_plugin(home.plugins, "counts", textwrap.dedent("""\
        function on_target(target, result)
            -- the scanned port 1 is closed (nothing listens there in the tests): nil, why
            prtip.log("info", "connect: " .. select("#", prtip.connect(target.ip, target.port, 1)))
            prtip.log("info", "db_query: " .. select("#", prtip.db_query("SELECT 1")))  -- no --db
        end
        """), "scan", capabilities=("network", "database"))
    run = prtip(home, SCAN, "-p", "1", "127.0.0.1", "--plugin", "counts")
    assert run.status == 0, run.err
    log = home.log.read_text()
    assert "connect: 2" in log and "db_query: 2" in log
    # the same in `prtip plugin test`'s stand-in prtip table
    folder = write_plugin(tmp_path, "stubbed", "function analyze_banner(b) return nil end")
    (folder / "test_stubbed.lua").write_text(
        'prtip.target = nil\nassert(select("#", prtip.get_target()) == 1)\n'
        'assert(tostring(prtip.get_target()) == "nil")\nprint("one nil")\n')
    done = subprocess.run([sys.executable, "-m", "prtip", "plugin", "test", str(folder)], capture_output=True,
                          text=True, env=ROOT_ENV(home), timeout=60)
    assert done.returncode == 0 and "one nil" in done.stdout, done.stdout + done.stderr


def test_limit_errors_name_the_file_the_line_and_the_budget(home, server, tmp_path):
    write_plugin(home.plugins, "loop", "function analyze_banner(banner)\n  local n = 0\n"
                 "  while true do\n    n = n + 1\n  end\nend\n")
    write_plugin(home.plugins, "bad-load", "function analyze_banner(b) end\nfunction on_load()\n"
                 "  error('no config')\nend\n")
    svc = server(greeting=b"hello\r\n")
    out = tmp_path / "s.json"
    run = prtip(home, SCAN, "-sV", "-p", str(svc.port), "127.0.0.1", "--plugin", "loop,bad-load", "-oJ", str(out))
    assert run.status == 0, run.err
    errors = json.loads(out.read_text())["errors"]
    main = home.plugins / "loop" / "main.lua"
    limit = next(e for e in errors if e.startswith("plugin loop: analyze_banner"))
    assert "limit: instruction limit of 1000000 exceeded" in limit
    assert f"[{main}:3]" in limit or f"[{main}:4]" in limit, limit
    load = next(e for e in errors if e.startswith("plugin bad-load"))
    assert ": load: load:" not in load and load.startswith("plugin bad-load: load: on_load: "), load
    assert "bad-load/main.lua:3: no config" in load


def test_misspelt_config_keys_are_warned_with_file_line_and_known_keys(home):
    home.config("""\
        bogus = 1
        [plugins]
        sytem_path = "/opt/prtip/plugins"
        [plugins.limits]
        instrutions = 5
        """)
    run = prtip(home, "--list-plugins")
    config = home.path / "config.toml"
    assert f"{config}:1: bogus: unknown setting, ignored (known: plugins)" in run.err
    assert (f"{config}:3: plugins.sytem_path: unknown setting, ignored (known: allow_connect, grants, limits, "
            "system_path, user_path)") in run.err
    assert f"{config}:5: plugins.limits.instrutions: unknown setting" in run.err and "instructions" in run.err


def test_plugin_output_path_is_checked_before_scanning(home, tmp_path):
    write_plugin(home.plugins, "csv", 'function export(results, path) local f = io.open(path, "w") '
                 'f:write("x") f:close() end', "output", ("filesystem",))
    for path in ("/proc/nope/x.csv", str(tmp_path)):
        run = prtip(home, SCAN, "-p", "1", "127.0.0.1", "--plugin", "csv", "--plugin-output", path)
        assert run.status == 1 and run.err.startswith(f"prtip: error: cannot write output file {path!r}"), run.err
        assert "Starting prtip" not in run.out  # refused before the scan began
    good = tmp_path / "x.csv"
    run = prtip(home, SCAN, "-p", "1", "127.0.0.1", "--plugin", "csv", "--plugin-output", str(good))
    assert run.status == 0 and good.read_text() == "x", run.err
