"""Raw-socket scans (-sS, -sF, -sN, -sX, -sA) and the raw engine they share with discovery.

The engine owns the raw sockets of a scan: one to send crafted packets (TCP probes from
tcpprobe.py's templates, ICMP echo requests from packets.py, i.e. scapy, imported only when
discovery pings), raw TCP and ICMP sockets to read answers. Answers are parsed with struct and
handed to whoever registered for (remote address, our local port): a host's probe loop, or
host discovery. A classic BPF filter on the TCP socket keeps the kernel from copying to us
every TCP packet of the machine (our own SYNs included, on loopback): only segments to our
source ports get through.

A probe loop sends a burst as one tight loop: patch the template's port and checksum, sendto().
A large scan shares its ports with a worker process (worker.py) that opens an engine of its own
(its own source ports and filter), so the two never read each other's answers.

Our source ports are reserved by binding (not listening) TCP sockets to them: no other program
can take them, and the kernel still answers a SYN-ACK to them with a RST. We send that RST too,
explicitly, like nmap, so the target's half-open connection is torn down at once.
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import os
import random
import socket
import struct
from typing import Iterable, Protocol

from prtip.errors import PrivilegeError
from prtip.model import (ADMIN_PROHIBITED, CLOSED, FILTERED, HOST_UNREACH, NET_UNREACH, OPEN,
                         OPEN_FILTERED, PORT_UNREACH, PROTO_UNREACH, RESET, SYN_ACK, UNFILTERED,
                         Target)
from prtip.scanners import batchio, tcpprobe, worker
from prtip.scanners.base import BURST, Emit, More, Probe, ProbeLoop, Record, Scanner

SO_ATTACH_FILTER = 26
SO_RCVBUFFORCE = 33
IPV6_CHECKSUM = 7
RCVBUF = 16 << 20
SYN, RST, ACK = 0x02, 0x04, 0x10

_PLAIN_TCP4 = struct.Struct("!12x4s4xHHIIBB")  # IPv4 (20 bytes) + TCP: source, ports, seq, ack, offset, flags
ICMP_UNREACH_REASONS = {0: NET_UNREACH, 1: HOST_UNREACH, 2: PROTO_UNREACH, 3: PORT_UNREACH,
                        9: ADMIN_PROHIBITED, 10: ADMIN_PROHIBITED, 13: ADMIN_PROHIBITED}
ICMP6_UNREACH_REASONS = {0: NET_UNREACH, 1: ADMIN_PROHIBITED, 3: HOST_UNREACH, 4: PORT_UNREACH}


def require_root(flag: str) -> None:
    """Raise the one-line error a user without root sees for a raw scan."""
    if os.geteuid() != 0:
        raise PrivilegeError(f"{flag} needs root privileges to send raw packets; run as root or use -sT (connect scan)")


def packed(address: str) -> bytes:
    """An address as the bytes IP headers carry (handler keys: no formatting per packet)."""
    return socket.inet_pton(socket.AF_INET6 if ":" in address else socket.AF_INET, address)


class RawHandler(Protocol):
    def on_tcp(self, remote_port: int, flags: int, seq: int, ack: int) -> None: ...
    def on_icmp(self, kind: str, code: int, remote_port: int | None, ident: int | None) -> None: ...


def _bpf_dport_filter(ports: Iterable[int], ip_header: bool) -> tuple[bytes, int]:
    """A classic BPF program accepting TCP segments whose destination port is in `ports`."""
    ports = list(ports)
    prog: list[tuple[int, int, int, int]] = []
    if ip_header:
        prog.append((0xB1, 0, 0, 0))   # ldxb 4*([0]&0xf): X = IP header length
        prog.append((0x48, 0, 0, 2))   # ldh [x+2]: TCP destination port
    else:
        prog.append((0x28, 0, 0, 2))   # ldh [2]
    n = len(ports)
    for i, port in enumerate(ports):
        prog.append((0x15, n - i, 0, port))  # jeq #port → accept
    prog.append((0x06, 0, 0, 0))              # ret #0: drop
    prog.append((0x06, 0, 0, 0xFFFF))         # ret #65535: accept
    return b"".join(struct.pack("HBBI", *ins) for ins in prog), len(prog)


def _attach_filter(sock: socket.socket, ports: Iterable[int], ip_header: bool) -> None:
    code, count = _bpf_dport_filter(ports, ip_header)
    buf = ctypes.create_string_buffer(code)
    fprog = struct.pack("HL", count, ctypes.addressof(buf))
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except OSError:
        pass  # unfiltered still works, only slower


def _big_buffer(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)


def dropped(exc: OSError) -> None:
    """A probe the kernel refused to send: ignored when it is only dropped locally (the probe
    loop's timeout and retries cover it), raised otherwise."""
    if exc.errno not in (errno.ENOBUFS, errno.EAGAIN, errno.EHOSTUNREACH, errno.ENETUNREACH,
                         errno.EPERM, errno.EACCES):
        raise exc


def source_address(dst: str) -> str:
    """The local address the kernel would use to reach dst (no packet is sent)."""
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.connect((dst, 9))
        return s.getsockname()[0]


class RawEngine:
    """The raw sockets of one scan, and the dispatch of answers to registered handlers."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.handlers: dict[tuple[bytes, int], RawHandler] = {}  # (packed address, our port)
        self.seq = random.getrandbits(32)
        self._reserved: list[socket.socket] = []
        self.scan_port, self.ping_port = self._reserve_ports()
        self._v4: tuple[socket.socket, socket.socket, socket.socket] | None = None
        self._v6: tuple[socket.socket, socket.socket] | None = None
        self._templates: dict[tuple[str, str], tcpprobe.TcpTemplate] = {}
        self._batches: dict[tuple[str, str], batchio.BatchSender] = {}
        self._rx4: batchio.BatchReceiver | None = None
        self._sources: dict[str, str | None] = {}

    def _reserve_ports(self) -> tuple[int, int]:
        ports = []
        while len(ports) < 2:
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            try:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.bind(("::", 0))  # dual-stack: the port is ours for IPv4 and IPv6
            except OSError:
                s.close()
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.bind(("0.0.0.0", 0))
            self._reserved.append(s)
            ports.append(s.getsockname()[1])
        return ports[0], ports[1]

    # ---- sockets ------------------------------------------------------------------------------
    def _open_v4(self) -> tuple[socket.socket, socket.socket, socket.socket]:
        if self._v4 is None:
            send = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            tcp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
            icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            _attach_filter(tcp, (self.scan_port, self.ping_port), ip_header=True)
            for s in (send, tcp, icmp):
                s.setblocking(False)
            for s in (tcp, icmp):
                _big_buffer(s)
            send.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, RCVBUF)
            if batchio.available():
                self._rx4 = batchio.BatchReceiver(tcp)
                self.loop.add_reader(tcp.fileno(), self._read_tcp4_batches)
            else:
                self.loop.add_reader(tcp.fileno(), self._read_tcp4, tcp)
            self.loop.add_reader(icmp.fileno(), self._read_icmp4, icmp)
            self._v4 = (send, tcp, icmp)
        return self._v4

    def _open_v6(self) -> tuple[socket.socket, socket.socket]:
        if self._v6 is None:
            tcp = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_TCP)
            icmp = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            tcp.setsockopt(socket.IPPROTO_IPV6, IPV6_CHECKSUM, 16)
            _attach_filter(tcp, (self.scan_port, self.ping_port), ip_header=False)
            for s in (tcp, icmp):
                s.setblocking(False)
                _big_buffer(s)
            self.loop.add_reader(tcp.fileno(), self._read_tcp6, tcp)
            self.loop.add_reader(icmp.fileno(), self._read_icmp6, icmp)
            self._v6 = (tcp, icmp)
        return self._v6

    def close(self) -> None:
        for group in (self._v4, self._v6):
            for i, s in enumerate(group or ()):
                if i or group is self._v6:
                    self.loop.remove_reader(s.fileno())
                s.close()
        self._v4 = self._v6 = None
        for s in self._reserved:
            s.close()
        self._reserved.clear()

    def register(self, address: str, local_port: int, handler: RawHandler) -> None:
        (self._open_v6 if ":" in address else self._open_v4)()
        self.handlers[(packed(address), local_port)] = handler

    def unregister(self, address: str, local_port: int) -> None:
        self.handlers.pop((packed(address), local_port), None)

    # ---- sending ------------------------------------------------------------------------------
    def source(self, dst: str) -> str | None:
        """Our address toward dst, or None when the kernel will not route to it (broadcast,
        no route): probes to it are then not sent, and time out like unanswered ones."""
        if dst not in self._sources:
            try:
                self._sources[dst] = source_address(dst)
            except OSError:
                self._sources[dst] = None
        return self._sources[dst]

    def template(self, dst: str, kind: str) -> tcpprobe.TcpTemplate | None:
        """The scan's probe of `kind` to dst (our scan port, our sequence number), built once;
        None when dst cannot be routed to."""
        template = self._templates.get((dst, kind))
        if template is None:
            src = self.source(dst)
            if src is None:
                return None
            template = tcpprobe.tcp_template(src, dst, self.scan_port, kind, self.seq)
            self._templates[(dst, kind)] = template
        return template

    def batch_sender(self, dst: str, kind: str) -> batchio.BatchSender | None:
        """sendmmsg() for the scan's probes of `kind` to dst (None: one sendto() per probe)."""
        sender = self._batches.get((dst, kind))
        if sender is None and batchio.available():
            template = self.template(dst, kind)
            if template is not None:
                sender = batchio.BatchSender(self.sender(dst), dst, template.data, BURST)
                self._batches[(dst, kind)] = sender
        return sender

    def sender(self, dst: str) -> socket.socket:
        """The socket that sends TCP to dst (sendto(data, (dst, 0)))."""
        return self._open_v6()[0] if ":" in dst else self._open_v4()[0]

    def send_tcp(self, dst: str, dport: int, kind: str, local_port: int, seq: int | None = None,
                 ack: int = 0) -> None:
        """Send one TCP packet (discovery's probes, the RST after a SYN-ACK)."""
        if seq is None and local_port == self.scan_port and not ack:
            template = self.template(dst, kind)
            if template is not None:
                self.sendto(self.sender(dst), template.probe(dport), dst)
            return
        src = self.source(dst)
        if src is not None:
            data = tcpprobe.tcp_packet(src, dst, local_port, dport, kind, self.seq if seq is None else seq, ack)
            self.sendto(self.sender(dst), data, dst)

    def send_icmp_echo(self, dst: str, ident: int, seq: int, timestamp: bool = False) -> None:
        src = self.source(dst)
        if src is None or (timestamp and ":" in dst):  # ICMPv6 has no timestamp request
            return
        from prtip.scanners import packets  # scapy: loaded by the first ping only

        sock = self._open_v6()[1] if ":" in dst else self._open_v4()[0]
        self.sendto(sock, packets.icmp_echo(src, dst, ident, seq, timestamp), dst)

    @staticmethod
    def sendto(sock: socket.socket, data: bytes | bytearray, dst: str) -> None:
        try:
            sock.sendto(data, (dst, 0))
        except OSError as exc:
            dropped(exc)

    # ---- receiving ----------------------------------------------------------------------------
    def _read_tcp4(self, sock: socket.socket) -> None:
        handlers, unpack = self.handlers, struct.unpack_from
        while True:
            try:
                data = sock.recv(128)
            except (BlockingIOError, InterruptedError):
                return
            ihl = (data[0] & 0x0F) * 4
            if len(data) < ihl + 14:
                continue
            sport, dport, seq, ack, _, flags = unpack("!HHIIBB", data, ihl)
            handler = handlers.get((data[12:16], dport))
            if handler is not None:
                handler.on_tcp(sport, flags, seq, ack)

    def _read_tcp4_batches(self) -> None:
        """_read_tcp4 with recvmmsg(): a buffer of answers per system call."""
        rx = self._rx4
        assert rx is not None
        handlers, view, size = self.handlers, rx.view, rx.size
        plain = _PLAIN_TCP4.unpack_from
        while got := rx.receive():
            for i in range(got):
                offset = i * size
                if view[offset] == 0x45 and rx.length(i) >= 34:  # IPv4 header without options
                    src, sport, dport, seq, ack, _, flags = plain(view, offset)
                else:
                    ihl = (view[offset] & 0x0F) * 4
                    if rx.length(i) < ihl + 14:
                        continue
                    src = bytes(view[offset + 12:offset + 16])
                    sport, dport, seq, ack, _, flags = struct.unpack_from("!HHIIBB", view, offset + ihl)
                handler = handlers.get((src, dport))
                if handler is not None:
                    handler.on_tcp(sport, flags, seq, ack)
            if got < rx.capacity:
                return

    def _read_tcp6(self, sock: socket.socket) -> None:
        handlers, unpack = self.handlers, struct.unpack_from
        while True:
            try:
                data, addr = sock.recvfrom(128)
            except (BlockingIOError, InterruptedError):
                return
            if len(data) < 14:
                continue
            sport, dport, seq, ack, _, flags = unpack("!HHIIBB", data, 0)
            handler = handlers.get((packed(addr[0].split("%")[0]), dport))
            if handler is not None:
                handler.on_tcp(sport, flags, seq, ack)

    def _read_icmp4(self, sock: socket.socket) -> None:
        while True:
            try:
                data = sock.recv(256)
            except (BlockingIOError, InterruptedError):
                return
            ihl = (data[0] & 0x0F) * 4
            if len(data) < ihl + 8:
                continue
            src = data[12:16]
            icmp_type, code = data[ihl], data[ihl + 1]
            if icmp_type in (0, 14):  # echo reply, timestamp reply: id is our ping port
                ident = struct.unpack_from("!H", data, ihl + 4)[0]
                handler = self.handlers.get((src, ident))
                if handler is not None:
                    handler.on_icmp("echo-reply" if icmp_type == 0 else "timestamp-reply", code, None, ident)
            elif icmp_type == 3:  # destination unreachable: the original header follows
                inner = data[ihl + 8:]
                if len(inner) < 20:
                    continue
                inner_ihl = (inner[0] & 0x0F) * 4
                if inner[9] != socket.IPPROTO_TCP or len(inner) < inner_ihl + 4:
                    continue
                dst = inner[16:20]
                lport, rport = struct.unpack_from("!HH", inner, inner_ihl)
                handler = self.handlers.get((dst, lport))
                if handler is not None:
                    handler.on_icmp(ICMP_UNREACH_REASONS.get(code, HOST_UNREACH), code, rport, None)

    def _read_icmp6(self, sock: socket.socket) -> None:
        while True:
            try:
                data, addr = sock.recvfrom(512)
            except (BlockingIOError, InterruptedError):
                return
            if len(data) < 8:
                continue
            src = packed(addr[0].split("%")[0])
            icmp_type, code = data[0], data[1]
            if icmp_type == 129:  # echo reply
                ident = struct.unpack_from("!H", data, 4)[0]
                handler = self.handlers.get((src, ident))
                if handler is not None:
                    handler.on_icmp("echo-reply", code, None, ident)
            elif icmp_type == 1 and len(data) >= 8 + 40 + 4:
                inner = data[8:]
                if inner[6] != socket.IPPROTO_TCP:
                    continue
                dst = inner[24:40]
                lport, rport = struct.unpack_from("!HH", inner, 40)
                handler = self.handlers.get((dst, lport))
                if handler is not None:
                    handler.on_icmp(ICMP6_UNREACH_REASONS.get(code, HOST_UNREACH), code, rport, None)


class RawLoop(ProbeLoop):
    """Probes one host with crafted TCP packets; `kind` picks the flags and how to read answers."""

    protocol = "tcp"

    def __init__(self, engine: RawEngine, kind: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.engine, self.kind = engine, kind
        self.no_response_state = {"syn": FILTERED, "ack": FILTERED}.get(kind, OPEN_FILTERED)
        self.address = self.target.address
        engine.register(self.address, engine.scan_port, self)

    def send(self, port: int, attempt: int) -> None:
        self.send_burst([(port, attempt)])

    def send_burst(self, probes: list[Probe]) -> None:
        template = self.engine.template(self.address, self.kind)
        if template is None:
            return  # no route: the probes time out like unanswered ones
        batch = self.engine.batch_sender(self.address, self.kind)
        if batch is not None:
            batch.send([port for port, _ in probes], template.patch_into, dropped)
            return
        probe, sendto, addr = template.probe, self.engine.sender(self.address).sendto, (self.address, 0)
        for port, _ in probes:
            try:
                sendto(probe(port), addr)
            except OSError as exc:
                dropped(exc)

    def on_tcp(self, remote_port: int, flags: int, seq: int, ack: int) -> None:
        if remote_port not in self.inflight:
            return
        if self.kind == "syn":
            if flags & SYN and flags & ACK:
                if ack != (self.engine.seq + 1) & 0xFFFFFFFF:
                    return  # not an answer to our probe
                self.engine.send_tcp(self.address, remote_port, "rst", self.engine.scan_port, seq=ack)
                self.answer(remote_port, OPEN, SYN_ACK)
            elif flags & RST:
                self.answer(remote_port, CLOSED, RESET)
        elif flags & RST:
            self.answer(remote_port, UNFILTERED if self.kind == "ack" else CLOSED, RESET)

    def on_icmp(self, kind: str, code: int, remote_port: int | None, ident: int | None) -> None:
        if remote_port is not None and remote_port in self.inflight:
            self.answer(remote_port, FILTERED, kind)

    def teardown(self) -> None:
        self.engine.unregister(self.address, self.engine.scan_port)


class RawScanner(Scanner):
    """A raw TCP scan; subclasses only name the probe kind."""

    kind = "syn"
    flag = "-sS"
    protocol = "tcp"

    def __init__(self, *args, **kwargs) -> None:
        require_root(self.flag)
        super().__init__(*args, **kwargs)
        self.scan_type = self.kind
        self.engine: RawEngine | None = None
        self.splitter = worker.Splitter(self.timing, self.rate, self.window, self.protocol)

    def engine_for_scan(self) -> RawEngine:
        if self.engine is None:
            self.engine = RawEngine()
        return self.engine

    async def scan(self, target: Target, ports: Iterable[int], emit: Emit) -> None:
        ports = list(ports)
        if not ports:
            return

        async def probe(ports: list[int], window: int, more: More | None, record: Record | None,
                        emit: Emit | None) -> None:
            # `record` is set in the worker process only, where nothing of the parent's engine
            # may be used: it opens one of its own
            engine = self.engine_for_scan() if record is None else RawEngine()
            try:
                await RawLoop(engine, self.kind, target, ports, self.timing, self.rate, emit, window,
                              more=more, record=record).run()
            finally:
                if record is not None:
                    engine.close()

        await self.splitter.scan(target, ports, emit, probe)

    async def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None


def _make(kind: str, flag: str) -> type[RawScanner]:
    return type(f"{kind.capitalize()}Scanner", (RawScanner,), {"kind": kind, "flag": flag,
                                                              "__doc__": f"nmap {flag}"})


RAW_SCANNERS: dict[str, type[Scanner]] = {
    kind: _make(kind, flag)
    for kind, flag in (("syn", "-sS"), ("fin", "-sF"), ("null", "-sN"), ("xmas", "-sX"), ("ack", "-sA"))
}
