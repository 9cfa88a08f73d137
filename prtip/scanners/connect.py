"""-sT: TCP connect scan with non-blocking sockets on the asyncio loop (no privileges needed).

Each probe is a non-blocking connect(); the answer is the socket's SO_ERROR once it is
writable (loopback usually answers inside connect() itself). Connected sockets close with
SO_LINGER 0, so open ports get a RST instead of leaving TIME_WAIT behind.

The loopback self-connect trap: connecting from 127.0.0.1:P to 127.0.0.1:P with nothing
listening on P succeeds by TCP simultaneous open, because the ephemeral source port happened to
be P. Such a "connection" proves nothing: it is detected with getsockname() == getpeername() and
the probe is sent again from another source port. Its cousin: two concurrent probes to P and Q
that got source ports Q and P connect to each other; that is detected from our own sockets'
addresses and retried the same way.
"""

from __future__ import annotations

import _socket
import asyncio
import errno
import socket
import struct
from typing import Iterable

from prtip.model import (ADMIN_PROHIBITED, CLOSED, CONN_REFUSED, FILTERED, HOST_UNREACH,
                         NET_UNREACH, OPEN, SYN_ACK, Target)
from prtip.scanners.base import Emit, ProbeLoop, Scanner

_LINGER_RESET = struct.pack("ii", 1, 0)
_ERRORS = {
    errno.ECONNREFUSED: (CLOSED, CONN_REFUSED),
    errno.EHOSTUNREACH: (FILTERED, HOST_UNREACH),
    errno.ENETUNREACH: (FILTERED, NET_UNREACH),
    errno.EACCES: (FILTERED, ADMIN_PROHIBITED),
    errno.EPERM: (FILTERED, ADMIN_PROHIBITED),
}
SELF_CONNECT_RETRIES = 5


def _connected(sock: _socket.socket) -> bool:
    try:
        sock.getpeername()
        return True
    except OSError:
        return False


class ConnectLoop(ProbeLoop):
    protocol = "tcp"
    no_response_state = FILTERED

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = socket.AF_INET6 if self.target.is_ipv6 else socket.AF_INET
        self.loop = asyncio.get_running_loop()
        self.socks: dict[int, _socket.socket] = {}
        self.self_connects: dict[int, int] = {}
        self.writers: set[int] = set()  # ports whose socket is registered with the selector

    def send(self, port: int, attempt: int) -> None:
        try:
            # the C-level socket type: the Python wrapper's __init__/close cost ~25% of a
            # loopback -p- scan, and nothing here needs its extras
            sock = _socket.socket(self.family, socket.SOCK_STREAM)
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):  # out of descriptors: shrink and retry
                self.window = max(1, len(self.inflight) - 1)
                self.again(port)
                return
            raise
        sock.setblocking(False)
        err = sock.connect_ex((self.target.address, port))
        self.socks[port] = sock
        if err == errno.EINPROGRESS:
            # Nearby hosts (loopback above all) have often answered already: look before
            # paying for a selector registration.
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err == 0 and not _connected(sock):
                self.writers.add(port)
                self.loop.add_writer(sock.fileno(), self._writable, port)
                return
        self._classify(port, sock, err)

    def _writable(self, port: int) -> None:
        sock = self.socks.get(port)
        if sock is not None:
            self._classify(port, sock, sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))

    def _classify(self, port: int, sock: _socket.socket, err: int) -> None:
        if err == 0:
            try:
                if sock.getsockname()[:2] == sock.getpeername()[:2] or self._cross_connected(sock, port):
                    tries = self.self_connects.get(port, 0) + 1
                    self.self_connects[port] = tries
                    if tries <= SELF_CONNECT_RETRIES:
                        self.again(port)  # a fresh socket gets another source port
                    else:
                        self.answer(port, CLOSED, CONN_REFUSED)
                    return
            except OSError:  # reset between connect and getpeername: the port did answer
                pass
            # close with a RST (SO_LINGER 0), not a FIN: no TIME_WAIT left behind per open port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
            self.answer(port, OPEN, SYN_ACK)
        elif err in _ERRORS:
            self.answer(port, *_ERRORS[err])
        elif err in (errno.ETIMEDOUT, errno.EINPROGRESS, errno.EALREADY, errno.EAGAIN):
            return  # no answer yet; the probe loop's timeout decides
        else:
            self.answer(port, FILTERED, HOST_UNREACH)

    def _cross_connected(self, sock: _socket.socket, port: int) -> bool:
        """Two of our own probes connected to each other: the socket probing port P got source
        port Q while the one probing Q got source port P (simultaneous open on loopback)."""
        local = sock.getsockname()[1]
        other = self.socks.get(local)
        if other is None or other is sock:
            return False
        try:
            return other.getsockname()[1] == port
        except OSError:
            return False

    def poll(self, port: int) -> bool:
        sock = self.socks.get(port)
        if sock is None:
            return False
        err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err == 0 and not _connected(sock):
            return False  # still connecting
        self._classify(port, sock, err)
        return port not in self.inflight

    def discard(self, port: int) -> None:
        sock = self.socks.pop(port, None)
        if sock is not None:
            if port in self.writers:
                self.writers.discard(port)
                self.loop.remove_writer(sock.fileno())
            sock.close()

    def teardown(self) -> None:
        for port in list(self.socks):
            self.discard(port)


class ConnectScanner(Scanner):
    """TCP connect() scan, like nmap -sT."""

    scan_type = "connect"
    protocol = "tcp"

    async def scan(self, target: Target, ports: Iterable[int], emit: Emit) -> None:
        ports = list(ports)
        if ports:
            await ConnectLoop(target, ports, self.timing, self.rate, emit, self.window).run()
