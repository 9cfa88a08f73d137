"""Packet crafting: the one module of prtip that imports scapy (only raw scans import it).

Scapy builds each kind of probe once per destination as a *template*; the per-port variants
are made by patching the destination port and the checksum in the template's bytes (an
incremental ones'-complement update, RFC 1624), because building 65535 scapy packets would
take longer than nmap's whole scan. Answers are parsed with struct in raw.py for the same
reason.

Scapy's logging is set to CRITICAL before it is imported (scapy keeps a level set before its
import) and Python warnings it raises while loading are suppressed, so raw scans print nothing
of scapy's on stdout or stderr. No global ``conf`` setting is changed.
"""

from __future__ import annotations

import logging
import warnings

logging.getLogger("scapy").setLevel(logging.CRITICAL)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from scapy.layers.inet import ICMP, IP, TCP

TCP_FLAGS = {"syn": "S", "fin": "F", "null": "", "xmas": "FPU", "ack": "A", "rst": "R"}
WINDOW = 1024
MSS_OPTION = [("MSS", 1460)]


def _fold(total: int) -> int:
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


class TcpTemplate:
    """A TCP probe to one destination whose destination port is filled in per probe."""

    __slots__ = ("data", "port_at", "csum_at", "base_sum")

    def __init__(self, data: bytes, tcp_offset: int, with_checksum: bool) -> None:
        self.data = bytearray(data)
        self.port_at = tcp_offset + 2
        self.csum_at = tcp_offset + 16 if with_checksum else None
        if self.csum_at is not None:
            # ones'-complement sum of the segment (pseudo-header included) with dport = 0
            self.base_sum = (~int.from_bytes(data[self.csum_at:self.csum_at + 2], "big")) & 0xFFFF
        else:
            self.base_sum = 0

    def probe(self, dport: int) -> bytes:
        data = self.data
        data[self.port_at] = dport >> 8
        data[self.port_at + 1] = dport & 0xFF
        if self.csum_at is not None:
            csum = (~_fold(self.base_sum + dport)) & 0xFFFF
            data[self.csum_at] = csum >> 8
            data[self.csum_at + 1] = csum & 0xFF
        return bytes(data)


def tcp_template(src: str, dst: str, sport: int, kind: str, seq: int, ack: int = 0) -> TcpTemplate:
    """A probe of `kind` (syn, fin, null, xmas, ack, rst) from src:sport to dst (port 0)."""
    tcp = TCP(sport=sport, dport=0, flags=TCP_FLAGS[kind], seq=seq, ack=ack, window=WINDOW,
              options=MSS_OPTION if kind == "syn" else [])
    if ":" in dst:
        # IPv6 raw sockets take the TCP segment alone; the kernel fills in the checksum
        # (IPV6_CHECKSUM), since the pseudo-header's source address is the kernel's choice.
        tcp.chksum = 0
        return TcpTemplate(bytes(tcp), 0, with_checksum=False)
    packet = IP(src=src, dst=dst, ttl=64, id=0x5052) / tcp
    raw = bytes(packet)
    return TcpTemplate(raw, (raw[0] & 0x0F) * 4, with_checksum=True)


def tcp_packet(src: str, dst: str, sport: int, dport: int, kind: str, seq: int, ack: int = 0) -> bytes:
    """One TCP packet (used for the RST sent back after a SYN-ACK)."""
    return tcp_template(src, dst, sport, kind, seq, ack).probe(dport)


def icmp_echo(src: str, dst: str, ident: int, seq: int, timestamp: bool = False) -> bytes:
    """An ICMP echo request (or timestamp request) as host discovery sends it."""
    if ":" in dst:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from scapy.layers.inet6 import ICMPv6EchoRequest
        msg = ICMPv6EchoRequest(id=ident, seq=seq, data=b"prtip")
        msg.cksum = 0  # the kernel computes ICMPv6 checksums on raw sockets
        return bytes(msg)
    icmp = ICMP(type=13 if timestamp else 8, id=ident, seq=seq)
    payload = b"\x00" * 12 if timestamp else b"prtip"
    return bytes(IP(src=src, dst=dst, ttl=64) / icmp / payload)


def arp_request(src_mac: str, src_ip: str, dst_ip: str) -> bytes:
    """A broadcast ARP who-has for dst_ip (Ethernet frame), as -PR sends it."""
    from scapy.layers.l2 import ARP, Ether

    return bytes(Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff") /
                 ARP(op=1, hwsrc=src_mac, psrc=src_ip, hwdst="00:00:00:00:00:00", pdst=dst_ip))
