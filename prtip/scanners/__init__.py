"""Scan techniques: one module per family over a shared probe loop (base.py), and the registry.

The registry imports its members, never the reverse: base.py knows no scanner.
"""

from __future__ import annotations

from prtip.scanners.base import RateLimiter, Scanner
from prtip.scanners.connect import ConnectScanner
from prtip.scanners.udp import UdpScanner

# Unprivileged scanners; the raw ones (syn, fin, null, xmas, ack) come from raw.py on demand.
SCANNERS: dict[str, type[Scanner]] = {"connect": ConnectScanner, "udp": UdpScanner}


def scanner_class(scan_type: str) -> type[Scanner]:
    """The registry: scan type → class. Raw scanners (and so scapy) load only when asked for."""
    if scan_type in SCANNERS:
        return SCANNERS[scan_type]
    from prtip.scanners.raw import RAW_SCANNERS
    return RAW_SCANNERS[scan_type]


__all__ = ["SCANNERS", "RateLimiter", "Scanner", "scanner_class"]
