"""csv-export and scan-statistics in real scans of 127.0.0.1 (the plugin guide's examples as written)."""

from __future__ import annotations

import json
import socket
import threading

import pytest
from example_helpers import prtip_command


@pytest.fixture
def ports():
    """(an open port with a greeting service, a closed port) on 127.0.0.1."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n")
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    yield srv.getsockname()[1], closed
    srv.close()


def test_csv_export(tmp_path, ports):
    open_port, closed_port = ports
    out = tmp_path / "results.csv"
    run = prtip_command(tmp_path / "home", "-sT", "-p", f"{open_port},{closed_port}", "127.0.0.1",
                        "--plugin", "csv-export", "--plugin-output", str(out))
    assert run.returncode == 0, run.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "IP,Port,State"
    assert sorted(lines[1:]) == sorted([f"127.0.0.1,{open_port},open", f"127.0.0.1,{closed_port},closed"])
    assert f"127.0.0.1:{open_port} [open]" in run.stdout  # format_result's line in the normal output


def test_scan_statistics(tmp_path, ports):
    open_port, closed_port = ports
    out = tmp_path / "scan.json"
    run = prtip_command(tmp_path / "home", "-sT", "-p", f"{open_port},{closed_port}", "127.0.0.1",
                        "--plugin", "scan-statistics", "--log-level", "info", "-oJ", str(out))
    assert run.returncode == 0, run.stderr
    for line in ("Scanning 1 targets", f"Found open port: {open_port}", "Scan complete: 2 results",
                 "Port states: closed=1 open=1"):
        assert f"plugin scan-statistics: {line}" in run.stderr, run.stderr
    doc = json.loads(out.read_text())
    assert doc["errors"] == []
    by_port = {p["port"]: p for p in doc["hosts"][0]["ports"]}
    assert by_port[open_port]["plugins"] == {"scan-statistics": {"open_port_rank": 1}}


def test_banner_analyzer_without_version_detection(tmp_path, ports):
    """--plugin banner-analyzer alone: the plugin reads the banner and names the service."""
    open_port, _ = ports
    out = tmp_path / "scan.json"
    run = prtip_command(tmp_path / "home", "-sT", "-p", str(open_port), "127.0.0.1", "--plugin", "banner-analyzer",
                        "-oJ", str(out))
    assert run.returncode == 0, run.stderr
    [port] = json.loads(out.read_text())["hosts"][0]["ports"]
    service = port["service"]
    assert (service["name"], service["product"], service["version"], service["method"]) == (
        "ssh", "OpenSSH", "9.2p1", "banner-analyzer")
