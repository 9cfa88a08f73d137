"""The scan's plain data: targets, host status and port results (frozen dataclasses).

States and reasons use nmap's names, so users and nmap-reading tools see familiar words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # the one runtime import of ServiceInfo is in prtip/detection.py
    from prtip.detection import ServiceInfo

# ---- port states (nmap's words) -------------------------------------------------------------
OPEN = "open"
CLOSED = "closed"
FILTERED = "filtered"
UNFILTERED = "unfiltered"
OPEN_FILTERED = "open|filtered"
CLOSED_FILTERED = "closed|filtered"

# ---- reasons (nmap's words) -----------------------------------------------------------------
SYN_ACK = "syn-ack"
RESET = "reset"
CONN_REFUSED = "conn-refused"
NO_RESPONSE = "no-response"
PORT_UNREACH = "port-unreach"
HOST_UNREACH = "host-unreach"
NET_UNREACH = "net-unreach"
PROTO_UNREACH = "proto-unreach"
ADMIN_PROHIBITED = "admin-prohibited"
UDP_RESPONSE = "udp-response"
ECHO_REPLY = "echo-reply"
TIMESTAMP_REPLY = "timestamp-reply"
LOCALHOST_RESPONSE = "localhost-response"
USER_SET = "user-set"
ARP_RESPONSE = "arp-response"


@dataclass(frozen=True)
class Target:
    """One address to scan; `hostname` is the name the user gave or reverse DNS found."""

    address: str
    hostname: str | None = None

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.address


@dataclass(frozen=True)
class HostStatus:
    """The outcome of host discovery for one target."""

    target: Target
    up: bool
    reason: str
    latency: float | None = None
    mac: str | None = None  # the MAC address ARP found (local segment only)
    unreachable: bool = False  # -Pn on a local segment and nobody answered ARP: IP cannot get there


@dataclass(frozen=True)
class PortResult:
    """What the scan learned about one port of one host."""

    host: str
    port: int
    protocol: str  # "tcp" or "udp"
    state: str
    reason: str
    service: ServiceInfo | None = None
    banner: bytes | None = None
    plugins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
