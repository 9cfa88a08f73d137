"""Host discovery (is the host up?) and reverse DNS, before any port is scanned.

Like nmap's defaults:

- as root: ICMP echo request, TCP SYN to 443, TCP ACK to 80, ICMP timestamp request; any answer
  (echo-reply, syn-ack, reset, timestamp-reply) means up;
- without root: TCP connect() to 80 and 443; a connection or a refusal means up;
- an address of this machine is up without a probe (localhost-response);
- -Pn: every host is taken as up (user-set);
- as root, a target on a directly attached Ethernet subnet is asked by ARP only (nmap's -PR,
  prtip/arp.py), -Pn or not, unless --send-ip; the subnet's network and broadcast addresses
  are never up.

A host that answers nothing within the timing's timeout, after the retries, is down.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from typing import TYPE_CHECKING, Iterable

from prtip import arp
from prtip.model import (ARP_RESPONSE, CONN_REFUSED, LOCALHOST_RESPONSE, NO_RESPONSE, RESET, SYN_ACK, USER_SET,
                         HostStatus, Target)
from prtip.timing import Timing

if TYPE_CHECKING:
    from prtip.scanners.raw import RawEngine

PING_TCP_SYN_PORT = 443
PING_TCP_ACK_PORT = 80
PING_CONNECT_PORTS = (80, 443)
RDNS_TIMEOUT = 2.0


def is_local_address(address: str) -> bool:
    """True for loopback and for addresses assigned to this machine (bind() accepts them)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.bind((address, 0))
        return True
    except OSError:
        return False


def ping_timeout(timing: Timing) -> float:
    return max(timing.initial_rtt_timeout, 0.5)


class _RawPing:
    """Answers to one host's discovery probes, registered with the raw engine."""

    def __init__(self) -> None:
        self.answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def _set(self, reason: str) -> None:
        if not self.answer.done():
            self.answer.set_result(reason)

    def on_tcp(self, remote_port: int, flags: int, seq: int, ack: int) -> None:
        self._set(SYN_ACK if flags & 0x12 == 0x12 else RESET)

    def on_icmp(self, kind: str, code: int, remote_port: int | None, ident: int | None) -> None:
        if kind in ("echo-reply", "timestamp-reply"):
            self._set(kind)


async def _raw_ping(target: Target, engine: RawEngine, timing: Timing) -> HostStatus:
    tries = 1 + min(timing.max_retries, 1)
    port = engine.ping_port
    handler = _RawPing()
    engine.register(target.address, port, handler)
    try:
        for attempt in range(tries):
            start = time.monotonic()
            engine.send_icmp_echo(target.address, port, attempt)
            engine.send_tcp(target.address, PING_TCP_SYN_PORT, "syn", port, seq=engine.seq)
            engine.send_tcp(target.address, PING_TCP_ACK_PORT, "ack", port, seq=engine.seq, ack=0)
            engine.send_icmp_echo(target.address, port, attempt, timestamp=True)
            try:
                reason = await asyncio.wait_for(asyncio.shield(handler.answer), ping_timeout(timing))
            except asyncio.TimeoutError:
                continue
            if reason == SYN_ACK:  # tear the half-open connection down
                engine.send_tcp(target.address, PING_TCP_SYN_PORT, "rst", port, seq=engine.seq + 1)
            return HostStatus(target, True, reason, time.monotonic() - start)
    finally:
        engine.unregister(target.address, port)
    return HostStatus(target, False, NO_RESPONSE)


async def _connect_ping(target: Target, timing: Timing) -> HostStatus:
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if target.is_ipv6 else socket.AF_INET

    async def probe(port: int) -> tuple[str, float] | None:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setblocking(False)
        start = time.monotonic()
        try:
            await asyncio.wait_for(loop.sock_connect(sock, (target.address, port)), ping_timeout(timing))
            return SYN_ACK, time.monotonic() - start
        except ConnectionRefusedError:
            return CONN_REFUSED, time.monotonic() - start
        except (OSError, asyncio.TimeoutError):
            return None
        finally:
            sock.close()

    for _ in range(1 + min(timing.max_retries, 1)):
        for coro in asyncio.as_completed([probe(p) for p in PING_CONNECT_PORTS]):
            result = await coro
            if result is not None:
                return HostStatus(target, True, result[0], result[1])
    return HostStatus(target, False, NO_RESPONSE)


async def arp_discover(targets: Iterable[Target], timing: Timing, *, skip: bool = False) -> dict[str, HostStatus]:
    """HostStatus of the targets ARP decides (the other hosts of attached Ethernet subnets),
    all asked at once: one sweep per subnet, whatever the hostgroup."""
    links = arp.local_links()
    by_link: dict[arp.LocalLink, list[Target]] = {}
    for t in targets:
        link = arp.link_for(t.address, links)
        if link is not None and link.is_host_address(t.address) and t.address != link.address:
            by_link.setdefault(link, []).append(t)
    rounds = 1 + min(timing.max_retries, arp.ARP_ROUNDS - 1)
    timeout = min(arp.ARP_TIMEOUT, max(timing.max_rtt_timeout, 0.1))
    sweeps = await asyncio.gather(*(arp.arp_sweep(link, [t.address for t in ts], timeout=timeout, rounds=rounds)
                                    for link, ts in by_link.items()))
    statuses = {}
    for ts, found in zip(by_link.values(), sweeps):
        for t in ts:
            if t.address in found:
                mac, latency = found[t.address]
                statuses[t.address] = HostStatus(t, True, USER_SET if skip else ARP_RESPONSE, latency, mac=mac)
            elif skip:
                statuses[t.address] = HostStatus(t, True, USER_SET, unreachable=True)
            else:
                statuses[t.address] = HostStatus(t, False, NO_RESPONSE)
    return statuses


async def discover(targets: Iterable[Target], timing: Timing, *, skip: bool = False,
                   engine: RawEngine | None = None,
                   decided: dict[str, HostStatus] | None = None) -> list[HostStatus]:
    """Which targets are up: `decided` (arp_discover's answers) first, then raw probes when an
    engine (root) is given, connect() otherwise."""
    targets = list(targets)
    decided = decided or {}
    links = arp.local_links() if any(not t.is_ipv6 for t in targets) else []

    async def one(target: Target) -> HostStatus:
        if target.address in decided:
            return decided[target.address]
        if arp.is_subnet_edge(target.address, links):
            return HostStatus(target, skip, USER_SET if skip else NO_RESPONSE)
        if skip:
            return HostStatus(target, True, USER_SET)
        if is_local_address(target.address):
            # up by definition; the latency is one connect() round trip, as nmap measures it
            probed = await _connect_ping(target, timing)
            return HostStatus(target, True, LOCALHOST_RESPONSE, probed.latency)
        if engine is not None:
            return await _raw_ping(target, engine, timing)
        return await _connect_ping(target, timing)

    return list(await asyncio.gather(*(one(t) for t in targets)))


async def reverse_name(target: Target) -> Target:
    """The target with its reverse DNS name filled in (unchanged if it has one or none is found)."""
    if target.hostname:
        return target
    loop = asyncio.get_running_loop()
    try:
        host, _ = await asyncio.wait_for(
            loop.getnameinfo((target.address, 0), socket.NI_NAMEREQD), RDNS_TIMEOUT)
    except (OSError, asyncio.TimeoutError, UnicodeError):
        return target
    return Target(target.address, host)


def privileged() -> bool:
    return os.geteuid() == 0
