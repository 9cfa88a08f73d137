"""A plugin author's path through the CLI, with nothing but prtip: new -> test -> install (from a
local git repository and from an archive) -> listed by `prtip --list-plugins` -> used in a scan."""

from __future__ import annotations

import json
import re
import socket
import tarfile
import threading

from tooling_helpers import commit_all, invoke, make_git_repo, prtip_command

from prtip.plugins.integration import list_plugins


def test_new_test_install_from_git_and_list(home, tmp_path):
    assert invoke("new", "my-plugin", "--type", "detection", "--dir", str(tmp_path)).exit_code == 0
    folder = tmp_path / "my-plugin"
    r = invoke("test", str(folder))
    assert r.exit_code == 0 and "1 passed, 0 failed" in r.output, r.output
    assert invoke("validate", str(folder)).exit_code == 0
    make_git_repo(folder)
    r = invoke("install", f"file://{folder}")
    assert r.exit_code == 0, r.output
    # the scanner's own discovery sees it, as the user's copy
    assert any(line.startswith(f"my-plugin v0.1.0 (detection) [user: {home / 'plugins' / 'my-plugin'}] ok")
               for line in list_plugins())
    run = prtip_command(home, "--list-plugins")
    assert run.returncode == 0, run.stderr
    assert f"my-plugin v0.1.0 (detection) [user: {home / 'plugins' / 'my-plugin'}] ok" in run.stdout.splitlines()
    # `test` and `info` now find it by name
    assert invoke("test", "my-plugin").exit_code == 0
    r = invoke("info", "my-plugin")
    assert r.exit_code == 0
    assert re.search(rf"^installed from +file://{re.escape(str(folder))} \(git, commit [0-9a-f]{{12}}, ", r.output, re.M), \
        r.output
    # the author changes the plugin: update brings the new version in
    manifest = folder / "plugin.toml"
    manifest.write_text(re.sub(r'(?m)^version = "0.1.0"', 'version = "0.2.0"', manifest.read_text()))
    commit_all(folder)
    assert invoke("update", "my-plugin").exit_code == 0
    assert "my-plugin v0.2.0 (detection)" in prtip_command(home, "--list-plugins").stdout
    assert invoke("remove", "my-plugin").exit_code == 0
    assert "my-plugin" not in prtip_command(home, "--list-plugins").stdout


def test_new_install_from_archive_and_scan(home, tmp_path):
    assert invoke("new", "stats-now", "--type", "scan", "--dir", str(tmp_path)).exit_code == 0
    assert invoke("new", "http-seen", "--type", "detection", "--dir", str(tmp_path)).exit_code == 0
    for name in ("stats-now", "http-seen"):
        archive = tmp_path / f"{name}-0.1.0.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(tmp_path / name, arcname=name)
        r = invoke("install", str(archive))
        assert r.exit_code == 0, r.output
    listing = prtip_command(home, "--list-plugins").stdout.splitlines()
    assert any(line.startswith("stats-now v0.1.0 (scan) [user:") and line.endswith("ok") for line in listing)
    assert any(line.startswith("http-seen v0.1.0 (detection) [user:") and line.endswith("ok") for line in listing)

    # a real connect scan of an HTTP-speaking port on 127.0.0.1 with both plugins
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]

    def answer(conn):
        with conn:
            try:  # a silent service: it answers a request, like a web server
                conn.settimeout(5)
                if conn.recv(4096):
                    conn.sendall(b"HTTP/1.1 200 OK\r\nServer: test\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    out = tmp_path / "scan.json"
    try:
        run = prtip_command(home, "-sT", "-p", str(port), "127.0.0.1", "--plugin", "stats-now",
                            "--plugin", "http-seen", "--log-level", "info", "-oJ", str(out))
    finally:
        srv.close()
    assert run.returncode == 0, run.stderr
    assert "plugin stats-now: Scanning 1 targets" in run.stderr
    assert "plugin stats-now: Scan complete: 1 results, 1 open" in run.stderr
    doc = json.loads(out.read_text())
    text = json.dumps(doc)
    assert '"method": "http-seen"' in text, text
