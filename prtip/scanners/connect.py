"""-sT: TCP connect scan with non-blocking sockets in one epoll set (no privileges needed).

Each probe is a non-blocking connect(). On nearby hosts (loopback above all) the kernel has
answered before connect() returns, so a second connect() on the same socket reads the outcome
at once (Linux: ECONNREFUSED, or 0 once connected, or EALREADY while the SYN is still out).
That second call also resets a refused socket to "unconnected", so the next probe reuses it
instead of paying for socket() and close(): a closed port costs two system calls. Sockets
still connecting wait in one ``select.epoll`` set, whose descriptor alone is registered with the
asyncio loop (a selector registration per socket would cost more than the probe itself).
Connected sockets close with SO_LINGER 0, so open ports get a RST instead of leaving TIME_WAIT
behind.

The loopback self-connect trap: connecting from 127.0.0.1:P to 127.0.0.1:P with nothing
listening on P succeeds by TCP simultaneous open, because the ephemeral source port happened to
be P. Such a "connection" proves nothing: it is detected with getsockname() == getpeername() and
the probe is sent again from another source port. Its cousin: two concurrent probes to P and Q
that got source ports Q and P connect to each other; that is detected from our own sockets'
addresses and retried the same way. A worker process (worker.py) cannot see the parent's
sockets, so one process alone probes the ports of the ephemeral range, the worker (it has no
results to emit, the parent has): both probes of such a pair target the other's source port,
which is ephemeral, so both are that process's, and its own check sees them.
"""

from __future__ import annotations

import _socket
import asyncio
import errno
import select
import socket
import struct
from typing import Iterable

from prtip.model import (ADMIN_PROHIBITED, CLOSED, CONN_REFUSED, FILTERED, HOST_UNREACH,
                         NET_UNREACH, OPEN, SYN_ACK, Target)
from prtip.scanners import worker
from prtip.scanners.base import Emit, More, Probe, ProbeLoop, Record, Scanner

_LINGER_RESET = struct.pack("ii", 1, 0)
_ERRORS = {
    errno.ECONNREFUSED: (CLOSED, CONN_REFUSED),
    errno.EHOSTUNREACH: (FILTERED, HOST_UNREACH),
    errno.ENETUNREACH: (FILTERED, NET_UNREACH),
    errno.EACCES: (FILTERED, ADMIN_PROHIBITED),
    errno.EPERM: (FILTERED, ADMIN_PROHIBITED),
}
_PENDING = (errno.EALREADY, errno.EINPROGRESS, errno.EAGAIN)
SELF_CONNECT_RETRIES = 5
SPARE_SOCKETS = 64  # refused sockets kept for reuse
_EVENTS = select.EPOLLOUT | select.EPOLLERR | select.EPOLLHUP


def ephemeral_ports() -> range:
    """The kernel's range of source ports for connect() (where self-connects can happen)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as fh:
            low, high = map(int, fh.read().split())
        return range(low, high + 1)
    except (OSError, ValueError):
        return range(1024, 65536)  # unknown: every port a source port may take


class ConnectLoop(ProbeLoop):
    protocol = "tcp"
    no_response_state = FILTERED

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = socket.AF_INET6 if self.target.is_ipv6 else socket.AF_INET
        self.kind = socket.SOCK_STREAM | socket.SOCK_NONBLOCK
        self.loop = asyncio.get_running_loop()
        self.socks: dict[int, _socket.socket] = {}   # port → its socket, while connecting
        self.ports: dict[int, int] = {}               # descriptor → port, for epoll's answers
        self.spare: list[_socket.socket] = []
        self.self_connects: dict[int, int] = {}
        self.crossed: set[int] = set()  # ports whose pending probe is one half of a cross-connect
        self.epoll = select.epoll()
        self.loop.add_reader(self.epoll.fileno(), self._ready)

    def _socket(self, port: int) -> _socket.socket | None:
        try:
            # the C-level socket type: the Python wrapper's __init__/close cost ~25% of a
            # loopback -p- scan, and nothing here needs its extras
            return _socket.socket(self.family, self.kind)
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):  # out of descriptors: shrink and retry
                self.window = max(1, len(self.inflight) - 1)
                self.again(port)
                return None
            raise

    def send(self, port: int, attempt: int) -> None:
        self.send_burst([(port, attempt)])

    def send_burst(self, probes: list[Probe]) -> None:
        host, spare, settle = self.target.address, self.spare, self.settle
        for port, _ in probes:
            sock = spare.pop() if spare else self._socket(port)
            if sock is None:
                continue
            addr = (host, port)
            err = sock.connect_ex(addr)
            if err == errno.EINPROGRESS:
                err = sock.connect_ex(addr)  # the answer may be there already (see the docstring)
            if err == errno.ECONNREFUSED:  # the common case, inline
                spare.append(sock)  # the refused connect() left it unconnected: reusable
                settle(port, CLOSED, CONN_REFUSED)
            elif err in _PENDING:
                fd = sock.fileno()
                self.socks[port] = sock
                self.ports[fd] = port
                self.epoll.register(fd, _EVENTS)
            else:
                self._classify(port, sock, err)

    def _ready(self) -> None:
        ports, socks = self.ports, self.socks
        for fd, _ in self.epoll.poll(0, 1024):
            port = ports.get(fd)
            sock = socks.get(port) if port is not None else None
            if sock is not None:
                self._classify(port, sock, sock.connect_ex((self.target.address, port)), pending=True)

    def _classify(self, port: int, sock: _socket.socket, err: int, pending: bool = False) -> None:
        """Act on a connect() outcome; `pending`: the socket is in the epoll set."""
        if err in _PENDING:
            return  # no answer yet; the probe loop's timeout decides
        if pending:
            self._unwatch(port)
        if err == errno.EISCONN:
            err = 0
        if err == 0:
            try:
                if (sock.getsockname()[:2] == sock.getpeername()[:2] or port in self.crossed
                        or self._cross_connected(sock, port)):
                    self.crossed.discard(port)
                    sock.close()
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
            sock.close()
            self.answer(port, OPEN, SYN_ACK)
            return
        if err == errno.ECONNREFUSED and len(self.spare) < SPARE_SOCKETS:
            self.spare.append(sock)  # reusable, as in send_burst
        else:
            sock.close()
        self.answer(port, *_ERRORS.get(err, (FILTERED, HOST_UNREACH)))

    def _cross_connected(self, sock: _socket.socket, port: int) -> bool:
        """Two of our own probes connected to each other: the socket probing port P got source
        port Q while the one probing Q got source port P (simultaneous open on loopback). The
        probe of Q still waits: it is remembered, so that its "connection" counts for nothing."""
        local = sock.getsockname()[1]
        other = self.socks.get(local)
        if other is None or other is sock:
            return False
        try:
            crossed = other.getsockname()[1] == port
        except OSError:
            return False
        if crossed:
            self.crossed.add(local)
        return crossed

    def _unwatch(self, port: int) -> _socket.socket | None:
        sock = self.socks.pop(port, None)
        if sock is not None:
            fd = sock.fileno()
            self.ports.pop(fd, None)
            try:
                self.epoll.unregister(fd)
            except OSError:
                pass
        return sock

    def poll(self, port: int) -> bool:
        sock = self.socks.get(port)
        if sock is None:
            return False
        self._classify(port, sock, sock.connect_ex((self.target.address, port)), pending=True)
        return port not in self.inflight

    def discard(self, port: int) -> None:
        sock = self._unwatch(port)
        if sock is not None:
            sock.close()

    def teardown(self) -> None:
        for port in list(self.socks):
            self.discard(port)
        for sock in self.spare:
            sock.close()
        self.spare.clear()
        self.loop.remove_reader(self.epoll.fileno())
        self.epoll.close()


class ConnectScanner(Scanner):
    """TCP connect() scan, like nmap -sT."""

    scan_type = "connect"
    protocol = "tcp"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.splitter = worker.Splitter(self.timing, self.rate, self.window, self.protocol,
                                        worker_only=ephemeral_ports())

    async def scan(self, target: Target, ports: Iterable[int], emit: Emit) -> None:
        ports = list(ports)
        if not ports:
            return

        async def probe(ports: list[int], window: int, more: More | None, record: Record | None,
                        emit: Emit | None) -> None:
            await ConnectLoop(target, ports, self.timing, self.rate, emit, window,
                              more=more, record=record).run()

        await self.splitter.scan(target, ports, emit, probe)
