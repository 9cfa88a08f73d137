"""ScanConfig: everything one scan was asked to do, validated, frozen, built by the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prtip.timing import Timing, timing_for

if TYPE_CHECKING:
    from prtip.shards import Shard

TCP_SCAN_TYPES = {
    "connect": "-sT",
    "syn": "-sS",
    "fin": "-sF",
    "null": "-sN",
    "xmas": "-sX",
    "ack": "-sA",
}
RAW_SCAN_TYPES = frozenset({"syn", "fin", "null", "xmas", "ack"})


@dataclass(frozen=True)
class ScanConfig:
    """One scan request. Specs are kept as given; the pipeline parses them (errors name them)."""

    targets: tuple[str, ...] = ()
    input_files: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    exclude_files: tuple[str, ...] = ()
    ports: str | None = None
    fast: bool = False
    top_ports: int | None = None
    exclude_ports: str | None = None
    randomize: bool = True
    tcp_scan: str | None = "connect"  # a TCP_SCAN_TYPES key, or None for a UDP-only scan
    udp_scan: bool = False
    version_detection: bool = False
    version_intensity: int = 7
    skip_discovery: bool = False
    ping_only: bool = False  # -sn: host discovery, no port scan
    send_ip: bool = False  # --send-ip: no ARP discovery on local segments
    resolve_names: bool = True
    prefer_ipv6: bool = False
    timing: Timing = field(default_factory=timing_for)
    open_only: bool = False
    show_reason: bool = False
    verbosity: int = 0
    outputs: tuple[tuple[str, str], ...] = ()  # (format name, path or "-")
    db_path: str | None = None
    seed: int | None = None  # --seed: the probe order (prtip/shards.py)
    shard: Shard | None = None  # --shard i/n: the part of that order this run scans
    resume_path: str | None = None  # --resume: the journal (prtip/journal.py)
    cluster: str | None = None  # --cluster: a Dask scheduler address or local:N (prtip/cluster.py)
    argv: tuple[str, ...] = ()  # the arguments as given, recorded in the journal
    args: str = "prtip"  # the command line, for output headers
    # plugins: prtip.plugins.integration.scan_hooks(config) turns these into the scan's hooks;
    # with none named, luavm and the plugin host are never imported
    plugins: tuple[str, ...] = ()  # --plugin NAME: the plugins to load, in order, once each
    plugin_output: str | None = None  # --plugin-output PATH: given to output plugins' export
    log_level: str = "warn"  # --log-level: what reaches stderr (the CLI sets logging up first)

    @property
    def protocols(self) -> tuple[str, ...]:
        return (("tcp",) if self.tcp_scan else ()) + (("udp",) if self.udp_scan else ())

    @property
    def needs_root(self) -> bool:
        return self.tcp_scan in RAW_SCAN_TYPES

    @property
    def scan_type_names(self) -> list[str]:
        """nmap's scaninfo type names ("connect", "syn", "udp", ...)."""
        return ([self.tcp_scan] if self.tcp_scan else []) + (["udp"] if self.udp_scan else [])
