"""TCP probes as bytes: one template per destination and kind, patched per port with struct.

A raw TCP scan sends the same 40- or 44-byte packet again and again with another destination
port, so it is written once (IPv4 header and TCP header, nmap's choices: TTL 64, window 1024,
MSS 1460 on SYNs) and each probe only patches the destination port and the TCP checksum, an
incremental ones'-complement update (RFC 1624). The bytes are those scapy builds for the same
fields, byte for byte (tests/scanner/test_tcpprobe.py holds every kind to scapy); they are
written here rather than by scapy because importing scapy takes about 0.3 s, longer than
nmap's whole scan of 20 ports and a third of its -p- scan. scapy stays the packet library for
the rest (packets.py: ICMP echo, ARP).

IPv6 raw sockets take the TCP segment alone and the kernel computes its checksum
(IPV6_CHECKSUM, raw.py), since the pseudo-header's source address is the kernel's choice.
"""

from __future__ import annotations

import socket
import struct

TCP_FLAGS = {"syn": 0x02, "fin": 0x01, "null": 0x00, "xmas": 0x29, "ack": 0x10, "rst": 0x04}
WINDOW = 1024
MSS_OPTION = struct.pack("!BBH", 2, 4, 1460)
TTL = 64
IP_ID = 0x5052
_IPV4 = struct.Struct("!BBHHHBBH4s4s")
_TCP = struct.Struct("!HHIIBBHHH")
_PORT = struct.Struct("!H")


def ones_sum(data: bytes) -> int:
    """The folded 16-bit ones'-complement sum of `data` (padded to an even length)."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


class TcpTemplate:
    """A TCP probe to one destination whose destination port is filled in per probe."""

    __slots__ = ("data", "port_at", "csum_at", "base_sum")

    def __init__(self, data: bytes, tcp_offset: int, base_sum: int | None) -> None:
        self.data = bytearray(data)
        self.port_at = tcp_offset + 2
        # base_sum: the ones'-complement sum of the segment (pseudo-header included) with
        # destination port 0 and checksum 0; None when the kernel writes the checksum
        self.csum_at = None if base_sum is None else tcp_offset + 16
        self.base_sum = base_sum or 0

    def patch_into(self, buf: memoryview, offset: int, dport: int) -> None:
        """Make the copy of this template at buf[offset:] the probe for `dport`."""
        _PORT.pack_into(buf, offset + self.port_at, dport)
        if self.csum_at is not None:
            total = self.base_sum + dport
            total = (total & 0xFFFF) + (total >> 16)
            _PORT.pack_into(buf, offset + self.csum_at, ~total & 0xFFFF)

    def probe(self, dport: int) -> bytearray:
        """The probe for `dport`, patched in place: send it before asking for the next one."""
        data = self.data
        _PORT.pack_into(data, self.port_at, dport)
        if self.csum_at is not None:
            total = self.base_sum + dport
            total = (total & 0xFFFF) + (total >> 16)
            _PORT.pack_into(data, self.csum_at, ~total & 0xFFFF)
        return data


def tcp_template(src: str, dst: str, sport: int, kind: str, seq: int, ack: int = 0) -> TcpTemplate:
    """A probe of `kind` (syn, fin, null, xmas, ack, rst) from src:sport to dst (port 0)."""
    options = MSS_OPTION if kind == "syn" else b""
    offset = (5 + len(options) // 4) << 4
    segment = _TCP.pack(sport, 0, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, offset, TCP_FLAGS[kind],
                        WINDOW, 0, 0) + options
    if ":" in dst:
        return TcpTemplate(segment, 0, None)
    saddr, daddr = socket.inet_aton(src), socket.inet_aton(dst)
    header = _IPV4.pack(0x45, 0, 20 + len(segment), IP_ID, 0, TTL, socket.IPPROTO_TCP, 0, saddr, daddr)
    header = header[:10] + _PORT.pack(~ones_sum(header) & 0xFFFF) + header[12:]
    pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(segment))
    return TcpTemplate(header + segment, 20, ones_sum(pseudo + segment))


def tcp_packet(src: str, dst: str, sport: int, dport: int, kind: str, seq: int, ack: int = 0) -> bytes:
    """One TCP packet (the RST sent back after a SYN-ACK, discovery's probes)."""
    return bytes(tcp_template(src, dst, sport, kind, seq, ack).probe(dport))
