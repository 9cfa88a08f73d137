"""What plugins may know about the scan (ScanContext) and about the call they are in (CallState).

ScanContext is shared by every plugin of a scan and changes once: after pre_scan, when the
final target list is known (it decides where prtip.connect may go). CallState lives for one
hook call: the target prtip.get_target() returns and what prtip.add_result collects.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

if TYPE_CHECKING:
    from prtip.config import ScanConfig

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def normalize_ip(text: str) -> IpAddress:
    """An address as connect() compares it: IPv4-mapped IPv6 is the IPv4 address. ValueError if bad."""
    addr = ipaddress.ip_address(text.strip())
    if addr.version == 6 and addr.ipv4_mapped is not None:  # type: ignore[union-attr]
        return addr.ipv4_mapped  # type: ignore[union-attr,return-value]
    return addr


@dataclass
class ScanContext:
    """The scan as plugins see it (prtip.scan_config) and the scan's own targets."""

    scan_type: str = "connect"
    rate: float = 0.0  # probes per second asked for (--max-rate, else --min-rate); 0: unlimited
    timing: int = 3  # the -T template, 0..5
    verbose: bool = False
    targets: frozenset[IpAddress] = frozenset()
    export_path: str | None = None  # --plugin-output
    db_path: str | None = None  # --db

    @classmethod
    def from_config(cls, config: ScanConfig) -> ScanContext:
        from prtip.timing import TEMPLATES

        names = [t.name for t in TEMPLATES]
        timing = names.index(config.timing.name) if config.timing.name in names else 3
        scan_type = config.tcp_scan or ("udp" if config.udp_scan else "connect")
        rate = config.timing.max_rate or config.timing.min_rate or 0.0
        # absolute: export() receives it, and a relative path in io.open means the data folder
        export = os.path.abspath(config.plugin_output) if config.plugin_output else None
        return cls(scan_type=scan_type, rate=float(rate), timing=timing, verbose=config.verbosity > 0,
                   export_path=export, db_path=config.db_path)

    def set_targets(self, addresses: Iterable[str]) -> None:
        found = set()
        for a in addresses:
            try:
                found.add(normalize_ip(a))
            except ValueError:
                continue
        self.targets = frozenset(found)

    def as_lua_data(self) -> dict[str, Any]:
        return {"scan_type": self.scan_type, "rate": self.rate, "timing": self.timing, "verbose": self.verbose}


class TargetRef(NamedTuple):
    """The port a call is about: prtip.get_target() returns {ip, port, protocol}. (Made once
    per port result and plugin: a tuple, as a frozen dataclass costs three times as much.)"""

    ip: str
    port: int
    protocol: str

    def as_lua_data(self) -> dict[str, Any]:
        return {"ip": self.ip, "port": self.port, "protocol": self.protocol}

    def __str__(self) -> str:
        return f"{self.ip}:{self.port}/{self.protocol}"


@dataclass
class CallState:
    """One hook call in progress."""

    hook: str
    target: TargetRef | None = None
    accepts_results: bool = False  # add_result is allowed (the call is about one port result)
    additions: dict[str, Any] = field(default_factory=dict)
    added_bytes: int = 0
