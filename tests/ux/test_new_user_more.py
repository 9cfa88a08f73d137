"""Issue 13, items 10-12: merging a plugin's answer with the built-in detection, plugins put in
place by hand (git clone), and the document's unit tests; through the prtip command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from ux_helpers import ROOT_ENV, prtip, write_plugin

SCAN = "-sS" if os.geteuid() == 0 else "-sT"
EXIM = b"220 mail.example.com ESMTP Exim 4.96 Mon, 01 Dec 2026 10:00:00 +0000\r\n"


def scan_service(home, server, tmp_path, main: str) -> dict:
    write_plugin(home.plugins, "smtp-guess", main)
    svc = server(greeting=EXIM)
    out = tmp_path / "s.json"
    run = prtip(home, SCAN, "-sV", "-p", str(svc.port), "127.0.0.1", "--plugin", "smtp-guess", "-oJ", str(out))
    assert run.status == 0, run.err
    return json.loads(out.read_text())["hosts"][0]["ports"][0]["service"]


def test_builtin_detection_alone_reads_exim(home, server, tmp_path):
    service = scan_service(home, server, tmp_path, "function analyze_banner(b) return nil end")
    assert (service["name"], service["product"], service["version"]) == ("smtp", "Exim smtpd", "4.96")


def test_a_more_confident_plugin_answer_wins_whole(home, server, tmp_path):
    service = scan_service(home, server, tmp_path, 'function analyze_banner(b) return {service="smtp", '
                           'product="hot-v3", confidence=0.99} end')
    assert (service["name"], service["product"], service["version"]) == ("smtp", "hot-v3", None)
    assert service["method"] == "smtp-guess"


def test_an_agreeing_answer_keeps_the_fields_it_does_not_give(home, server, tmp_path):
    service = scan_service(home, server, tmp_path, 'function analyze_banner(b) return {service="smtp", '
                           'info="relay", confidence=0.99} end')
    assert (service["product"], service["version"], service["info"]) == ("Exim smtpd", "4.96", "relay")


# ---------------------------------------------------------------- item 11: hand-made git clones

def git(cwd, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1", HOME=str(cwd))
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=True).stdout


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    work = write_plugin(tmp_path / "work", "git-plugin", "function analyze_banner(b) return nil end")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "v1")
    bare = tmp_path / "prtip-git-plugin.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    return work, bare


def plugin_cmd(home, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "prtip", "plugin", *args], capture_output=True, text=True,
                          env=ROOT_ENV(home), cwd=home.path, timeout=120)


def test_install_adopts_a_manual_git_clone_then_update_works(home, repo):
    work, bare = repo
    git(home.plugins, "clone", "-q", f"file://{bare}", "git-plugin")  # the document's Method 2
    run = plugin_cmd(home, "install", f"file://{bare}")
    assert run.returncode == 0, run.stderr
    assert "installed git-plugin v1.0.0" in run.stdout
    run = plugin_cmd(home, "update", "git-plugin")
    assert run.returncode == 0 and "updated git-plugin v1.0.0 -> v1.0.0" in run.stdout, run.stderr


def test_update_adopts_a_manual_git_clone_from_its_origin(home, repo):
    work, bare = repo
    git(home.plugins, "clone", "-q", f"file://{bare}", "git-plugin")
    run = plugin_cmd(home, "update", "git-plugin")
    assert run.returncode == 0 and f"updated git-plugin v1.0.0 from file://{bare}" in run.stdout, run.stderr
    listing = prtip(home, "--list-plugins").out
    assert "git-plugin v1.0.0 (detection) [user:" in listing


def test_a_hand_copied_folder_says_exactly_what_to_do(home):
    write_plugin(home.plugins, "hand-copied", "function analyze_banner(b) return nil end")
    run = plugin_cmd(home, "update", "hand-copied")
    assert run.returncode != 0
    assert "run `prtip plugin install SOURCE` once" in run.stderr


def test_a_failing_update_names_the_file_inside_the_source(home, repo):
    work, bare = repo
    assert plugin_cmd(home, "install", f"file://{bare}").returncode == 0
    manifest = work / "plugin.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "one"'))
    git(work, "commit", "-q", "-am", "bad version")
    git(work, "push", "-q", str(bare), "HEAD")
    run = plugin_cmd(home, "update", "git-plugin")
    assert run.returncode != 0
    assert f"file://{bare}: plugin.toml:3: plugin.version: 'one' is not a semantic version" in run.stderr, run.stderr
    assert "/.staging-" not in run.stderr


# ---------------------------------------------------------------- item 12: tests and system installs

DOC_TEST = """\
package.path = package.path .. ";./?.lua"
local my_plugin = require("main")
function test_analyze_banner()
local result = my_plugin.analyze_banner("HTTP/1.1 200 OK\\r\\nServer: Apache\\r\\n")
assert(result ~= nil, "Should detect HTTP")
assert(result.service == "http", "Should identify as HTTP")
assert(result.confidence > 0.5, "Should have reasonable confidence")
print("ok test_analyze_banner passed")
end
test_analyze_banner()
print("All tests passed!")
"""


def test_plugin_test_runs_the_documents_test_file_and_says_how_to_run_one(home, tmp_path):
    folder = write_plugin(tmp_path, "my-plugin", 'function analyze_banner(b) if string.match(b, "HTTP") then '
                          'return {service = "http", confidence = 0.8} end end')
    (folder / "test_my_plugin.lua").write_text(DOC_TEST)
    (folder / "test_other.lua").write_text('error("not this one")')
    run = plugin_cmd(home, "test", str(folder))
    assert run.returncode != 0 and "FAIL test_other.lua" in run.stdout
    assert f"one file: prtip plugin test {folder} test_my_plugin.lua" in run.stdout
    one = plugin_cmd(home, "test", str(folder), "test_my_plugin.lua")
    assert one.returncode == 0, one.stdout + one.stderr
    assert "PASS test_my_plugin.lua" in one.stdout and "test_other" not in one.stdout
    assert "1 passed, 0 failed" in one.stdout
    missing = plugin_cmd(home, "test", str(folder), "test_nope.lua")
    assert missing.returncode != 0 and "test_nope.lua: no such test file" in missing.stderr


def test_install_system_creates_the_system_folder(home, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from prtip.plugins import settings
    from prtip.tooling.cli import plugin_group

    system = tmp_path / "opt" / "prtip" / "plugins"  # stands in for /opt/prtip/plugins
    monkeypatch.setattr(settings, "SYSTEM_PLUGIN_PATH", system)
    src = write_plugin(tmp_path / "src", "shared-plugin", "function analyze_banner(b) return nil end")
    r = CliRunner().invoke(plugin_group, ["install", "--system", str(src)])
    assert r.exit_code == 0, r.output
    assert (system / "shared-plugin" / "plugin.toml").is_file()
    assert not (home.plugins / "shared-plugin").exists()
    assert [p.name for p in system.iterdir() if p.name.startswith(".staging")] == []
