"""UDP service probes: one datagram to the port and the first answer, as a BannerCapture.

UDP has no greeting and no connection, so only a probe the service understands gets an answer.
Today that is DNS (a CHAOS TXT version.bind query) on the DNS ports; other UDP ports are left to
the port table, as nmap does without a matching payload.
"""

from __future__ import annotations

import asyncio
import socket

from prtip.service.probes import dns_version_bind_query
from prtip.service.records import BannerCapture, Exchange

DNS_PORTS = frozenset({53, 5300, 5353})


def _ask(host: str, port: int, payload: bytes, timeout: float) -> bytes:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.connect((host, port))
        sock.send(payload)
        try:
            return sock.recv(65535)
        except (socket.timeout, ConnectionRefusedError):
            return b""


async def grab_udp(host: str, port: int, *, timeout: float, dns: bool | None = None) -> BannerCapture:
    """The answer of `port` to its probe (no probe known: an empty capture).

    `dns`: None sends the DNS query on the DNS ports only, True on any port, False never.
    """
    if not (port in DNS_PORTS if dns is None else dns):
        return BannerCapture(host, port, (), protocol="udp")
    payload = dns_version_bind_query()
    try:
        answer = await asyncio.to_thread(_ask, host, port, payload, timeout)
    except OSError as exc:
        return BannerCapture(host, port, (), error=str(exc), protocol="udp")
    return BannerCapture(host, port, (Exchange("dns-version-bind-udp", payload, answer),),
                         protocol="udp")
