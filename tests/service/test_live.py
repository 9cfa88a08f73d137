"""Live detection against the real Debian services of tools/start_services.sh, beside nmap -sV.

Skipped (with the reason) unless those services listen on 127.0.0.1. For every corpus service
that is up, prtip's detect_services and `nmap -sV` scan the same TCP ports; a service is *fully
right* when name, product and version all agree with the truth written in the corpus (same
rules for both, see `fully_right`). Both are timed. The table is printed (pytest -s) and, when
PRTIP_DETECTION_REPORT names a file, written there for docs/DETECTION.md.

Run: tools/start_services.sh && .venv/bin/pytest tests/service/test_live.py -s
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from prtip.service import detect_services

CORPUS = Path(__file__).resolve().parent.parent / "data" / "banners"
TIMEOUT = 3.0

# product words that differ only in nmap's suffixes ("Apache httpd", "PostgreSQL DB")
_SUFFIXES = (" httpd", " sshd", " smtpd", " pop3d", " imapd", " ftpd", " db", " key-value store")


@dataclass(frozen=True)
class Answer:
    name: str | None
    product: str | None
    version: str | None
    tunnel: str | None


def _norm_product(product: str | None) -> str | None:
    if product is None:
        return None
    p = product.lower().strip()
    for suffix in _SUFFIXES:
        if p.endswith(suffix):
            p = p[: -len(suffix)]
    return p


def fully_right(answer: Answer | None, truth: dict) -> bool:
    """Name, tunnel, product and version as the truth says.

    A version is right when it equals the truth or starts with it followed by a space or a
    dash (nmap writes "9.2p1 Debian 2+deb12u3", "9.18.49-1~deb12u3-Debian"). Where the service
    does not show a version, any version reported is wrong: it was not in the bytes.
    """
    if answer is None or answer.name != truth["name"] or answer.tunnel != truth["tunnel"]:
        return False
    if _norm_product(answer.product) != _norm_product(truth["product"]):
        return False
    want, got = truth["version"], answer.version
    if want is None:
        return got is None
    return got is not None and (got == want or got.startswith((want + " ", want + "-")))


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _services() -> list[dict]:
    records = [json.loads(p.read_text()) for p in sorted(CORPUS.glob("*.json"))]
    return [r for r in records if r["capture"].get("protocol", "tcp") == "tcp"]


def _nmap(ports: list[int]) -> dict[int, Answer]:
    done = subprocess.run(["nmap", "-sV", "-Pn", "-n", "-p", ",".join(map(str, ports)),
                           "127.0.0.1", "-oX", "-"], capture_output=True, text=True, check=True)
    out: dict[int, Answer] = {}
    for port in ET.fromstring(done.stdout).iter("port"):
        service = port.find("service")
        if service is None:
            continue
        out[int(port.get("portid"))] = Answer(service.get("name"), service.get("product"),
                                              service.get("version"), service.get("tunnel"))
    return out


def _show(answer: Answer | None) -> str:
    if answer is None:
        return "—"
    name = f"{answer.tunnel}/{answer.name}" if answer.tunnel else answer.name
    return " ".join(x for x in (name, answer.product, answer.version) if x)


@pytest.fixture(scope="module")
def running() -> list[dict]:
    services = [s for s in _services() if _listening(s["capture"]["port"])]
    if not services:
        pytest.skip("the corpus services are not running on 127.0.0.1 "
                    "(start them with tools/start_services.sh, as root)")
    return services


def test_live_detection_beats_nmap(running):
    ports = [s["capture"]["port"] for s in running]
    start = time.monotonic()
    found = asyncio.run(detect_services("127.0.0.1", [(p, "tcp") for p in ports], timeout=TIMEOUT))
    ours_time = time.monotonic() - start
    ours = {p: None if found[p][0] is None else
            Answer(found[p][0].name, found[p][0].product, found[p][0].version, found[p][0].tunnel)
            for p in ports}

    theirs: dict[int, Answer] = {}
    nmap_time = None
    if shutil.which("nmap"):
        start = time.monotonic()
        theirs = _nmap(ports)
        nmap_time = time.monotonic() - start

    rows = ["| service | port | truth | prtip | nmap -sV |", "|---|---|---|---|---|"]
    ours_right = nmap_right = 0
    for s in running:
        port, truth = s["capture"]["port"], s["truth"]
        ok_ours, ok_nmap = fully_right(ours[port], truth), fully_right(theirs.get(port), truth)
        ours_right += ok_ours
        nmap_right += ok_nmap
        want = Answer(truth["name"], truth["product"], truth["version"], truth["tunnel"])
        rows.append(f"| {s['name']} | {port} | {_show(want)} | {'✔' if ok_ours else '✘'} "
                    f"{_show(ours[port])} | {'✔' if ok_nmap else '✘'} {_show(theirs.get(port))} |")
    nmap_summary = (f"{nmap_right}/{len(running)} in {nmap_time:.1f} s" if nmap_time is not None
                    else "not installed")
    rows.append(f"\nfully right: prtip {ours_right}/{len(running)} in {ours_time:.1f} s; "
                f"nmap -sV {nmap_summary}")
    report = "\n".join(rows)
    print("\n" + report)
    if os.environ.get("PRTIP_DETECTION_REPORT"):
        Path(os.environ["PRTIP_DETECTION_REPORT"]).write_text(report + "\n")

    wrong = [s["name"] for s in running if not fully_right(ours[s["capture"]["port"]], s["truth"])]
    assert not wrong, f"prtip got these wrong: {wrong}"
    if nmap_time is not None:
        assert ours_right > nmap_right
        assert ours_time < nmap_time


def test_fully_right_rules():
    truth = {"name": "ssh", "product": "OpenSSH", "version": "9.2p1", "tunnel": None}
    assert fully_right(Answer("ssh", "OpenSSH", "9.2p1 Debian 2+deb12u3", None), truth)
    assert not fully_right(Answer("ssh", "OpenSSH", "9.2", None), truth)
    assert not fully_right(Answer("ssh", "OpenSSH", "9.2p1", "ssl"), truth)
    hidden = {"name": "postgresql", "product": "PostgreSQL DB", "version": None, "tunnel": None}
    assert fully_right(Answer("postgresql", "PostgreSQL DB", None, None), hidden)
    assert not fully_right(Answer("postgresql", "PostgreSQL DB", "9.6.0 or later", None), hidden)
    assert fully_right(Answer("http", "Apache httpd", "2.4.71", None),
                       {"name": "http", "product": "Apache httpd", "version": "2.4.71", "tunnel": None})
