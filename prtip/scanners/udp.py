"""-sU: UDP scan with connected datagram sockets (works without privileges).

A connected UDP socket receives the ICMP port-unreachable its datagram provoked as an
ECONNREFUSED error: that is "closed (port-unreach)". Any datagram back is "open
(udp-response)". Silence, even after the retries, is "open|filtered (no-response)": an open
port whose service ignored our payload and a firewall look the same, which is why
udp_payloads.py speaks each common service's protocol.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from typing import Iterable

from prtip.model import (ADMIN_PROHIBITED, CLOSED, FILTERED, HOST_UNREACH, NET_UNREACH, OPEN,
                         OPEN_FILTERED, PORT_UNREACH, UDP_RESPONSE, Target)
from prtip.scanners.base import Emit, ProbeLoop, Scanner
from prtip.scanners.udp_payloads import payload_for

_ERRORS = {
    errno.ECONNREFUSED: (CLOSED, PORT_UNREACH),
    errno.EHOSTUNREACH: (FILTERED, HOST_UNREACH),
    errno.ENETUNREACH: (FILTERED, NET_UNREACH),
    errno.EACCES: (FILTERED, ADMIN_PROHIBITED),
    errno.EPERM: (FILTERED, ADMIN_PROHIBITED),
}


class UdpLoop(ProbeLoop):
    protocol = "udp"
    no_response_state = OPEN_FILTERED

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = socket.AF_INET6 if self.target.is_ipv6 else socket.AF_INET
        self.loop = asyncio.get_running_loop()
        self.socks: dict[int, socket.socket] = {}

    def send(self, port: int, attempt: int) -> None:
        try:
            sock = socket.socket(self.family, socket.SOCK_DGRAM)
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                self.window = max(1, len(self.inflight) - 1)
                self.again(port)
                return
            raise
        sock.setblocking(False)
        self.socks[port] = sock
        try:
            sock.connect((self.target.address, port))
            sock.send(payload_for(port))
        except OSError as exc:
            self._error(port, exc)
            return
        if not self._read(port):
            self.loop.add_reader(sock.fileno(), self._read, port)

    def _error(self, port: int, exc: OSError) -> None:
        if exc.errno in _ERRORS:
            self.answer(port, *_ERRORS[exc.errno])
        elif exc.errno not in (errno.EAGAIN, errno.ENOBUFS):
            self.answer(port, FILTERED, HOST_UNREACH)

    def _read(self, port: int) -> bool:
        """Read an answer if one is there; True when the port got its final answer."""
        sock = self.socks.get(port)
        if sock is None:
            return True
        try:
            sock.recv(4096)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            self._error(port, exc)
            return port not in self.inflight
        self.answer(port, OPEN, UDP_RESPONSE)
        return True

    def poll(self, port: int) -> bool:
        return self._read(port) and port not in self.inflight

    def discard(self, port: int) -> None:
        sock = self.socks.pop(port, None)
        if sock is not None:
            self.loop.remove_reader(sock.fileno())
            sock.close()

    def teardown(self) -> None:
        for port in list(self.socks):
            self.discard(port)


class UdpScanner(Scanner):
    """UDP scan, like nmap -sU."""

    scan_type = "udp"
    protocol = "udp"

    async def scan(self, target: Target, ports: Iterable[int], emit: Emit) -> None:
        ports = list(ports)
        if ports:
            await UdpLoop(target, ports, self.timing, self.rate, emit, self.window).run()
