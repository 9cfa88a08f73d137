"""Packet crafting with scapy: the one module of prtip that imports it, and only when needed.

Discovery's ICMP echo and timestamp requests and ARP's who-has frames are built here. The TCP
probes of raw scans are not (tcpprobe.py writes them with struct, byte for byte as scapy would,
since importing scapy costs more than nmap's whole small scan); answers are parsed with struct
in raw.py for the same reason.

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
    from scapy.layers.inet import ICMP, IP


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
