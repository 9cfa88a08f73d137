"""Golden tests: the detection examples over banners captured from real Debian services.

tests/data/banners/*.json holds, for each service, the bytes a scan captured and the truth
written down by hand (docs/DETECTION.md). The examples run in the real plugin host, on the
banner a scan hands to analyze_banner (the capture's first answer), and on every answer of
the exhaustive capture (every probe sent). No servers needed.
"""

from __future__ import annotations


import pytest
from example_helpers import CORPUS, DETECTION_EXAMPLES, capture, record

from prtip.model import PortResult
from prtip.plugins.tables import merge_service
from prtip.service import identify

# the protocols banner-analyzer covers (the plugin guide's list), by nmap service name
BANNER_ANALYZER_SERVICES = {"http", "ssh", "ftp", "smtp", "mysql", "postgresql", "redis", "mongodb"}
IDS = [p.stem for p in CORPUS]

# http-version-detector is the plugin guide's complete example, as written: its answers pinned
HTTP_VERSION_DETECTOR = {
    "apache": ("http", "Apache", "2.4.71", "HTTP/1.1", 0.95),
    "apache-https": ("http", "Apache", "2.4.71", "HTTP/1.1", 0.95),
    "nginx": ("http", "nginx", "1.22.1", "HTTP/1.1", 0.95),
    "nginx-https": ("http", "nginx", "1.22.1", "HTTP/1.1", 0.95),
    # an unknown server: the example reports the HTTP version in `version` (it is in the bytes)
    "lighttpd": ("http", None, "1.1", None, 0.7),
}


def test_corpus_is_there():
    assert len(CORPUS) >= 20


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_banner_analyzer_names_the_truth(examples, path):
    truth = record(path)["truth"]
    cap = capture(path)
    answer = examples.analyze("banner-analyzer", cap.banner, cap.port, cap.protocol)
    if truth["name"] in BANNER_ANALYZER_SERVICES:
        assert answer is not None
        assert (answer.name, answer.product, answer.version) == (truth["name"], truth["product"], truth["version"])
        assert 0.7 <= answer.confidence <= 0.95
    else:
        assert answer is None, answer


def test_banner_analyzer_covers_the_guides_list():
    covered = {record(p)["truth"]["product"] for p in CORPUS if record(p)["truth"]["name"] in BANNER_ANALYZER_SERVICES}
    assert {"Apache httpd", "nginx", "lighttpd", "OpenSSH", "Dropbear sshd", "vsftpd", "ProFTPD", "Postfix smtpd",
            "Exim smtpd", "MariaDB", "PostgreSQL DB", "Redis key-value store"} <= covered


def test_postfix_is_smtp_not_ftp(examples):
    for stem in ("postfix", "postfix-smtps"):
        cap = capture(next(p for p in CORPUS if p.stem == stem))
        answer = examples.analyze("banner-analyzer", cap.banner, cap.port)
        assert (answer.name, answer.product) == ("smtp", "Postfix smtpd")


@pytest.mark.parametrize("name", DETECTION_EXAMPLES)
@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_never_a_version_the_bytes_do_not_show(examples, path, name):
    """On every answer a service gave to any probe: a version is part of those bytes, and the
    service is the true one (or, for ssl-checker, the TLS tunnel the service really uses)."""
    truth = record(path)["truth"]
    cap = capture(path, "exhaustive")
    for exchange in cap.exchanges:
        if not exchange.received:
            continue
        answer = examples.analyze(name, exchange.received, cap.port, cap.protocol)
        if answer is None:
            continue
        if answer.version is not None:
            assert answer.version.encode() in exchange.received, (exchange.probe, answer)
        if name == "ssl-checker":
            assert answer.name == "ssl" and truth["tunnel"] == "ssl", (exchange.probe, answer)
        else:
            assert answer.name == truth["name"], (exchange.probe, answer)
        if name == "banner-analyzer":
            assert answer.product in (None, truth["product"]) and answer.version in (None, truth["version"])


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_ssl_checker_finds_exactly_the_tls_services(examples, path):
    truth = record(path)["truth"]
    cap = capture(path)
    answer = examples.analyze("ssl-checker", cap.banner, cap.port, cap.protocol)
    if truth["tunnel"] == "ssl":
        assert answer is not None and answer.name == "ssl" and 0.6 <= answer.confidence <= 0.8
    else:
        assert answer is None, answer


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_http_version_detector_pinned(examples, path):
    cap = capture(path)
    answer = examples.analyze("http-version-detector", cap.banner, cap.port, cap.protocol)
    expected = HTTP_VERSION_DETECTOR.get(path.stem)
    if expected is None:
        assert answer is None, answer
    else:
        assert (answer.name, answer.product, answer.version, answer.info, answer.confidence) == expected


@pytest.mark.parametrize("plugins", [("banner-analyzer",), DETECTION_EXAMPLES], ids=["banner-analyzer", "all"])
@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_with_builtin_detection_every_service_is_right(examples, path, plugins):
    """`prtip -sV --plugin banner-analyzer`: the built-in answer and the plugins' merged by
    confidence as the scan merges them; service, product, version and tunnel are the truth."""
    truth = record(path)["truth"]
    cap = capture(path)
    builtin = identify(cap.port, cap)
    result = PortResult(cap.host, cap.port, cap.protocol, "open", "syn-ack", service=builtin, banner=cap.banner)
    answers = [a for a in (examples.analyze(name, cap.banner, cap.port, cap.protocol) for name in plugins) if a]
    merged = merge_service(result, answers).service
    assert (merged.name, merged.product, merged.version, getattr(merged, "tunnel", None)) == (
        truth["name"], truth["product"], truth["version"], truth["tunnel"])


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_banner_analyzer_alone_never_contradicts_the_truth(examples, path):
    """Without -sV (a detection plugin alone): what banner-analyzer names is right, or it is silent."""
    truth = record(path)["truth"]
    cap = capture(path)
    result = PortResult(cap.host, cap.port, cap.protocol, "open", "syn-ack", banner=cap.banner)
    answer = examples.analyze("banner-analyzer", cap.banner, cap.port, cap.protocol)
    merged = merge_service(result, [answer] if answer else []).service
    if merged is not None:
        assert (merged.name, merged.product, merged.version) == (truth["name"], truth["product"], truth["version"])
        assert merged.method == "banner-analyzer"
