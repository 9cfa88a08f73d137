"""Live: the detection examples scanning the real Debian services of tools/start_services.sh.

Skipped (with the reason) unless some corpus services listen on 127.0.0.1. Every service that
is up is scanned by `prtip -sV --plugin banner-analyzer --plugin ssl-checker`, and the covered
plain-text ones by `prtip --plugin banner-analyzer` alone; the answers must be the corpus truth.

Run: tools/start_services.sh && .venv/bin/pytest tests/examples/test_example_live.py
"""

from __future__ import annotations

import json
import socket

import pytest
from example_helpers import CORPUS, prtip_command, record

BANNER_ANALYZER_SERVICES = {"http", "ssh", "ftp", "smtp", "mysql", "postgresql", "redis", "mongodb"}


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def live_services() -> dict[int, dict]:
    out = {}
    for path in CORPUS:
        rec = record(path)
        cap = rec["capture"]
        if cap.get("protocol", "tcp") == "tcp" and listening(cap["port"]):
            out[cap["port"]] = rec
    return out


@pytest.fixture(scope="module")
def services() -> dict[int, dict]:
    found = live_services()
    if len(found) < 3:
        pytest.skip("the corpus services are not running on 127.0.0.1 (tools/start_services.sh)")
    return found


def scan(tmp_path, ports, *args) -> dict[int, dict]:
    out = tmp_path / "live.json"
    run = prtip_command(tmp_path / "home", "-sT", "-p", ",".join(map(str, sorted(ports))), "127.0.0.1", *args,
                        "-oJ", str(out), timeout=300)
    assert run.returncode == 0, run.stderr
    doc = json.loads(out.read_text())
    assert doc["errors"] == []
    return {p["port"]: p for p in doc["hosts"][0]["ports"]}


def test_with_version_detection(tmp_path, services):
    found = scan(tmp_path, services, "-sV", "--plugin", "banner-analyzer", "--plugin", "ssl-checker")
    wrong = []
    for port, rec in services.items():
        truth, s = rec["truth"], found[port]["service"] or {}
        got = (s.get("name"), s.get("product"), s.get("version"), s.get("tunnel"))
        if got != (truth["name"], truth["product"], truth["version"], truth["tunnel"]):
            wrong.append((rec["name"], got))
        if truth["tunnel"] == "ssl":  # the active probe read the ServerHello
            data = found[port]["plugins"].get("ssl-checker", {})
            if not data.get("tls_version", "").startswith("TLSv1."):
                wrong.append((rec["name"], data))
    assert not wrong


def test_banner_analyzer_alone(tmp_path, services):
    plain = {p: r for p, r in services.items()
             if r["truth"]["name"] in BANNER_ANALYZER_SERVICES and r["truth"]["tunnel"] is None}
    if not plain:
        pytest.skip("none of banner-analyzer's plain-text services is running")
    found = scan(tmp_path, plain, "--plugin", "banner-analyzer")
    wrong = []
    for port, rec in plain.items():
        truth, s = rec["truth"], found[port]["service"] or {}
        got = (s.get("name"), s.get("product"), s.get("version"), s.get("method"))
        if got != (truth["name"], truth["product"], truth["version"], "banner-analyzer"):
            wrong.append((rec["name"], got))
    assert not wrong
