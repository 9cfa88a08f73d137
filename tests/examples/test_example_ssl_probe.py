"""ssl-checker's active probe against real TLS servers on 127.0.0.1 (Python's ssl module, a
certificate made with the openssl CLI): the ClientHello built in Lua, the ServerHello parsed in
Lua, the version and cipher the server chose reported."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest
from example_helpers import EXAMPLES, Examples
from luavm.convert import to_lua

from prtip.plugins.context import ScanContext, TargetRef
from prtip.plugins.tables import service_answer


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed: cannot make the test certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class TlsServer:
    """Accepts connections on 127.0.0.1 and runs a TLS handshake on each (or sends ``plain``)."""

    def __init__(self, ctx: ssl.SSLContext | None, plain: bytes = b"") -> None:
        self.ctx, self.plain = ctx, plain
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.sessions: list[tuple[str, str]] = []
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.settimeout(5)
                try:
                    if self.ctx is None:
                        conn.sendall(self.plain)
                        conn.recv(4096)
                        continue
                    tls = self.ctx.wrap_socket(conn, server_side=True)
                    self.sessions.append((tls.version(), tls.cipher()[0]))
                except (OSError, ssl.SSLError):
                    continue

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def context(certificate, *, maximum=None, ciphers=None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*certificate)
    if maximum is not None:
        ctx.maximum_version = maximum
    if ciphers is not None:
        ctx.set_ciphers(ciphers)
    return ctx


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """probe_service(127.0.0.1:port) through the plugin host, as a scan of 127.0.0.1 calls it.
    The copy's [config] makes every port a TLS candidate (test servers use random ports)."""
    monkeypatch.setenv("PRTIP_HOME", str(tmp_path / "home"))
    plugins = tmp_path / "plugins"
    shutil.copytree(EXAMPLES / "ssl-checker", plugins / "ssl-checker")
    manifest = plugins / "ssl-checker" / "plugin.toml"
    manifest.write_text(manifest.read_text().replace("probe_all_ports = false", "probe_all_ports = true"))
    scan = ScanContext()
    scan.set_targets(["127.0.0.1"])
    ex = Examples(tmp_path / "home", plugins, scan)
    plugin = ex.manager.load_plugin("ssl-checker")

    def run(port: int):
        ref = TargetRef("127.0.0.1", port, "tcp")
        r = plugin.call("probe_service", to_lua(ref.as_lua_data()), target=ref, accepts_results=True)
        assert r.ok, ex.manager.faults
        return service_answer(r.first, "ssl-checker"), r.additions

    return run


TLS13 = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}


def test_tls13(certificate, probe):
    server = TlsServer(context(certificate))
    try:
        answer, data = probe(server.port)
    finally:
        server.close()
    assert answer.name == "ssl" and answer.confidence == 0.75
    assert data["tls_version"] == "TLSv1.3" and data["tls_cipher"] in TLS13
    assert answer.info == f"TLSv1.3 {data['tls_cipher']}"
    assert server.accepted == 1


@pytest.mark.parametrize("openssl_name,iana", [
    ("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    ("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
    ("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    ("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
])
def test_tls12_with_one_cipher(certificate, probe, openssl_name, iana):
    try:
        ctx = context(certificate, maximum=ssl.TLSVersion.TLSv1_2, ciphers=openssl_name)
    except ssl.SSLError:
        pytest.skip(f"this OpenSSL does not offer {openssl_name}")
    server = TlsServer(ctx)
    try:
        answer, data = probe(server.port)
    finally:
        server.close()
    assert data == {"tls_version": "TLSv1.2", "tls_cipher": iana}
    assert answer.info == f"TLSv1.2 {iana}"


def test_no_shared_cipher_is_a_tls_alert(certificate, probe):
    ctx = context(certificate, maximum=ssl.TLSVersion.TLSv1_2, ciphers="AES128-SHA256")  # not offered
    server = TlsServer(ctx)
    try:
        answer, data = probe(server.port)
    finally:
        server.close()
    assert data == {"tls_alert": "handshake_failure"}
    assert answer.name == "ssl" and answer.info == "TLS alert: handshake_failure"


def test_plain_text_service_is_not_tls(probe):
    server = TlsServer(None, b"SSH-2.0-OpenSSH_9.2p1\r\n")
    try:
        answer, data = probe(server.port)
    finally:
        server.close()
    assert answer is None and not data


def test_closed_port(probe):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answer, data = probe(port)
    assert answer is None and not data


def test_only_tls_ports_by_default(examples, certificate):
    """Without probe_all_ports, a port outside the TLS list is not even connected to."""
    server = TlsServer(context(certificate))
    scan = ScanContext()
    scan.set_targets(["127.0.0.1"])
    examples.manager.scan = scan
    plugin = examples.manager.load_plugin("ssl-checker")
    ref = TargetRef("127.0.0.1", server.port, "tcp")
    try:
        r = plugin.call("probe_service", to_lua(ref.as_lua_data()), target=ref, accepts_results=True)
    finally:
        server.close()
    assert r.ok and r.first is None and server.accepted == 0
