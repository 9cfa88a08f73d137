"""Banner grabbing against small fake servers on 127.0.0.1 (real sockets, no mocks).

Each fake speaks just enough of a protocol: a silent HTTP server, TLS servers (self-signed
certificate made with the openssl CLI), a Redis that answers HTTP with an error, binary garbage
with NULs and invalid UTF-8, a TCP wrapper that hangs up, an SMTP server that records the EHLO.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
import time
from pathlib import Path
from typing import Awaitable, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prtip.service
from prtip.service import (BannerCapture, Exchange, capture_from_json, capture_to_json,
                           detect_services, grab_banner, identify)
from prtip.service.udpgrabber import grab_udp

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def serve(handler: Handler, tls: ssl.SSLContext | None = None) -> tuple[asyncio.Server, int]:
    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()

    server = await asyncio.start_server(guarded, "127.0.0.1", 0, ssl=tls)
    return server, server.sockets[0].getsockname()[1]


async def read_request(reader: asyncio.StreamReader) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = await reader.read(4096)
        if not chunk:
            break
        data += chunk
    return data


def run(coro):
    return asyncio.run(coro)


# ---- fakes -----------------------------------------------------------------------------------

async def silent_http(reader, writer):
    request = await read_request(reader)
    if request.startswith(b"GET / HTTP/1.1\r\n") and b"\r\nHost: 127.0.0.1\r\n" in request:
        writer.write(b"HTTP/1.1 200 OK\r\nServer: FakeHTTP/1.2 (Debian)\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()


GARBAGE = b"\xff\xfe\x00\x80garbage\x00\xc3\x28\xa0\xa1\x00\x00\xe2\x82\r\n"


async def garbage(reader, writer):
    writer.write(GARBAGE)
    await writer.drain()
    await asyncio.sleep(3)


async def hang_up(reader, writer):
    return  # `guarded` closes at once


async def fake_redis(reader, writer):
    data = await reader.read(4096)
    if data.startswith(b"GET "):
        writer.write(b"-ERR wrong number of arguments for 'get' command\r\n")
    elif data.startswith(b"*1\r\n$4\r\nPING"):
        info = b"# Server\r\nredis_version:6.2.99\r\nredis_mode:standalone\r\nos:Linux 6.1 x86_64\r\n"
        writer.write(b"+PONG\r\n$%d\r\n%s\r\n" % (len(info), info))
    await writer.drain()
    await asyncio.sleep(0.5)


def fake_smtp(received: list[bytes]) -> Handler:
    async def handler(reader, writer):
        writer.write(b"220 mx.example ESMTP Exim 4.97 Mon, 01 Jan 2024 00:00:00 +0000\r\n")
        await writer.drain()
        line = await reader.readline()
        received.append(line)
        writer.write(b"250-mx.example Hello\r\n250-SIZE 52428800\r\n250 HELP\r\n")
        await writer.drain()
        received.append(await reader.readline())
    return handler


async def imap_greeting(reader, writer):
    writer.write(b"* OK [CAPABILITY IMAP4rev1] Dovecot (Ubuntu) ready.\r\n")
    await writer.drain()
    await asyncio.sleep(1)


@pytest.fixture(scope="module")
def tls_context(tmp_path_factory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed: cannot make the test certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


# ---- tests -----------------------------------------------------------------------------------

def test_silent_service_answers_only_http():
    async def scenario():
        server, port = await serve(silent_http)
        async with server:
            return await grab_banner("127.0.0.1", port, timeout=2)
    capture = run(scenario())
    assert [e.probe for e in capture.exchanges][:2] == ["null", "http-get"]
    assert capture.exchanges[0].received == b""
    info = identify(capture.port, capture)
    assert (info.name, info.product, info.version, info.info, info.tunnel) == (
        "http", "FakeHTTP", "1.2", "(Debian)", None)
    assert capture.banner.startswith(b"HTTP/1.1 200 OK")


def test_https_found_inside_tls(tls_context):
    async def scenario():
        server, port = await serve(silent_http, tls_context)
        async with server:
            return await grab_banner("127.0.0.1", port, timeout=2)
    capture = run(scenario())
    assert capture.tls is not None and capture.tls.version.startswith("TLS")
    info = identify(capture.port, capture)
    assert (info.name, info.product, info.version, info.tunnel) == ("http", "FakeHTTP", "1.2", "ssl")
    assert capture.response("http-get", tls=True).startswith(b"HTTP/1.1 200")


def test_greeting_inside_tls_with_tls_forced(tls_context):
    async def scenario():
        server, port = await serve(imap_greeting, tls_context)
        async with server:
            return await grab_banner("127.0.0.1", port, timeout=2, tls=True)
    capture = run(scenario())
    info = identify(capture.port, capture)
    assert (info.name, info.product, info.version, info.os_type, info.tunnel) == (
        "imap", "Dovecot imapd", None, "Linux", "ssl")


def test_garbage_round_trips_as_bytes_and_never_crashes():
    async def scenario():
        server, port = await serve(garbage)
        async with server:
            return port, await detect_services("127.0.0.1", [(port, "tcp")], timeout=1)
    port, found = run(scenario())
    info, banner = found[port]
    assert banner == GARBAGE
    assert info is None or info.method == "port"
    capture = BannerCapture("127.0.0.1", port, (Exchange("null", b"", GARBAGE),))
    again = capture_from_json(json.loads(json.dumps(capture_to_json(capture))))
    assert again == capture


def test_hang_up_is_tcpwrapped():
    async def scenario():
        server, port = await serve(hang_up)
        async with server:
            return await grab_banner("127.0.0.1", port, timeout=2)
    capture = run(scenario())
    assert len(capture.exchanges) == 1  # no probe is sent to a wrapper that hung up
    assert identify(capture.port, capture).name == "tcpwrapped"


def test_other_services_answer_moves_its_probe_forward():
    async def scenario():
        server, port = await serve(fake_redis)
        async with server:
            return await grab_banner("127.0.0.1", port, timeout=2)
    capture = run(scenario())
    probes = [e.probe for e in capture.exchanges]
    assert probes[:3] == ["null", "http-get", "redis"]  # not "tls" next: the answer named Redis
    info = identify(capture.port, capture)
    assert (info.name, info.product, info.version, info.os_type) == (
        "redis", "Redis key-value store", "6.2.99", "Linux")


def test_smtp_greeting_gets_ehlo_on_the_same_connection():
    heard: list[bytes] = []

    async def scenario():
        server, port = await serve(fake_smtp(heard))
        async with server:
            capture = await grab_banner("127.0.0.1", port, timeout=2)
            await asyncio.sleep(0.1)
            return capture
    capture = run(scenario())
    assert heard[0] == b"EHLO prtip\r\n" and heard[1] == b"QUIT\r\n"
    assert capture.response("smtp-ehlo").endswith(b"250 HELP\r\n")
    info = identify(capture.port, capture)
    assert (info.name, info.product, info.version) == ("smtp", "Exim smtpd", "4.97")


def test_refused_port_gives_no_service():
    async def scenario():
        server, port = await serve(hang_up)
        server.close()
        await server.wait_closed()
        return port, await grab_banner("127.0.0.1", port, timeout=1)
    port, capture = run(scenario())
    assert capture.error == "connection refused"
    assert identify(port, capture) is None


def test_all_ports_are_probed_concurrently():
    async def scenario():
        servers = [await serve(silent_http) for _ in range(6)]
        start = time.monotonic()
        found = await detect_services("127.0.0.1", [(p, "tcp") for _, p in servers], timeout=2)
        elapsed = time.monotonic() - start
        for server, _ in servers:
            server.close()
        return found, elapsed
    found, elapsed = run(scenario())
    assert all(info.product == "FakeHTTP" for info, _ in found.values())
    # one silent HTTP port costs a passive wait plus a probe; six in a row would cost 6x that
    assert elapsed < 2.0


def test_udp_dns_version_bind():
    corpus = Path(__file__).resolve().parent.parent / "data" / "banners" / "bind9-udp.json"
    answer = capture_from_json(json.loads(corpus.read_text())["capture"]).exchanges[0].received

    class Echo(asyncio.DatagramProtocol):
        def connection_made(self, transport):
            self.transport = transport

        def datagram_received(self, data, addr):
            self.transport.sendto(answer, addr)

    async def scenario():
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
        port = transport.get_extra_info("sockname")[1]
        try:
            return port, await grab_udp("127.0.0.1", port, timeout=1, dns=True)
        finally:
            transport.close()
    port, capture = run(scenario())
    info = identify(port, capture)
    assert capture.protocol == "udp"
    assert (info.name, info.product, info.version) == ("domain", "ISC BIND", "9.18.49")
    assert capture.banner == answer


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["null", "http-get", "redis", "memcached",
                                           "pgsql-startup", "dns-version-bind", "ldap-rootdse",
                                           "mqtt-connect", "smtp-ehlo", "generic-lines"]),
                          st.binary(max_size=300) | st.sampled_from([
                              b"SSH-2.0-", b"220 (vsFTPd ", b"HTTP/1.1 200 OK\r\nServer: x/",
                              b"+PONG\r\n$", b"\x30\x84\xff\xff\xff\xff", b" \x02\x00\x00\x30\xff",
                              b"E\x00\x00\x00\x08S\x00\x00", b"\x00\x10pr\x84\x00"])),
                max_size=4),
       st.integers(1, 65535))
def test_identify_never_crashes_and_never_invents_a_version(parts, port):
    capture = BannerCapture("127.0.0.1", port, tuple(Exchange(p, b"", r) for p, r in parts))
    info = identify(port, capture)
    if info is not None and info.version is not None:
        assert any(info.version.encode("latin-1") in r for _, r in parts)


def test_public_names():
    assert set(prtip.service.__all__) >= {"detect_services", "ServiceInfo", "grab_banner",
                                          "identify", "BannerCapture"}
    fields = list(prtip.service.ServiceInfo.__dataclass_fields__)
    assert fields == ["name", "product", "version", "info", "os_type", "confidence", "method",
                      "tunnel"]
