"""Golden tests: identify() over banners captured from real Debian services, no network needed.

Each tests/data/banners/*.json holds the truth written down by hand (tools/capture_banners.py);
identify must name service, product, version and tunnel exactly, on the capture a scan makes
and on the exhaustive one where every probe was answered.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prtip.service import capture_from_json, identify

# products proved by the shape of an answer rather than by their name in it
IMPLIED_BY_PROTOCOL = {"PostgreSQL DB", "Memcached", "ISC BIND"}

CORPUS = sorted((Path(__file__).resolve().parent.parent / "data" / "banners").glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_corpus_is_there():
    assert len(CORPUS) >= 20, "tests/data/banners/ lost its captures"


@pytest.mark.parametrize("kind", ["capture", "exhaustive"])
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_identify_matches_truth(path: Path, kind: str):
    record = load(path)
    capture = capture_from_json(record[kind])
    info = identify(capture.port, capture)
    truth = record["truth"]
    assert info is not None
    assert (info.name, info.product, info.version, info.tunnel) == (
        truth["name"], truth["product"], truth["version"], truth["tunnel"])
    assert info.method == "probe"
    assert 0.0 < info.confidence <= 1.0


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_reported_field_is_in_the_bytes(path: Path):
    """Never a version (or product token) the bytes don't show."""
    record = load(path)
    capture = capture_from_json(record["capture"])
    info = identify(capture.port, capture)
    received = b"".join(e.received for e in capture.exchanges)
    if info.version is not None:
        assert info.version.encode() in received
    if info.product is not None:
        # the product's first word appears in the bytes, unless the protocol itself names it
        word = info.product.split()[0].lower().encode()
        assert word in received.lower() or info.product in IMPLIED_BY_PROTOCOL


def test_truth_versions_come_from_the_packages():
    for path in CORPUS:
        record = load(path)
        version = record["truth"]["version"]
        if version is not None:
            assert version in record["package_version"], path.name


def test_banner_is_first_answer():
    record = load(next(p for p in CORPUS if p.stem == "openssh"))
    capture = capture_from_json(record["capture"])
    assert capture.banner.startswith(b"SSH-2.0-OpenSSH_9.2p1")
