"""A local Ethernet segment made of network namespaces, for ARP discovery tests and bench/lan_bench.py.

A bridge lives in its own namespace; the scanner's namespace and three host namespaces hang on
it by veth pairs, all in one /24. The root namespace's interfaces are never touched: the scanner
runs inside its namespace (`lab.run(...)` is `ip netns exec <scanner ns> ...`). `close()` removes
every namespace (and with them every veth), even after a partial setup.
"""

from __future__ import annotations

import os
import shutil
import subprocess

PREFIX = "10.77.0"
SCANNER_IP = f"{PREFIX}.2"
HOST_IPS = (f"{PREFIX}.10", f"{PREFIX}.20", f"{PREFIX}.30")
SILENT_IP = f"{PREFIX}.99"  # on the segment, nobody has it
NETWORK_IP, BROADCAST_IP = f"{PREFIX}.0", f"{PREFIX}.255"


class LabUnavailable(Exception):
    """Not root, no iproute2, or namespaces are not permitted here."""


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=30)


class LanLab:
    """The namespaces of one lab; use as a context manager (or call close())."""

    def __init__(self) -> None:
        if os.geteuid() != 0 or not shutil.which("ip"):
            raise LabUnavailable("needs root and iproute2 to create network namespaces")
        tag = os.getpid() % 100000
        self.bridge_ns = f"prtlan-br-{tag}"
        self.scanner_ns = f"prtlan-sc-{tag}"
        self.host_ns = [f"prtlan-h{i}-{tag}" for i in range(len(HOST_IPS))]
        self.created: list[str] = []
        try:
            self._build(tag)
        except BaseException:
            self.close()
            raise

    def _add_ns(self, name: str) -> None:
        if _ip("netns", "add", name, check=False).returncode != 0:
            raise LabUnavailable("`ip netns add` is not permitted here")
        self.created.append(name)
        _ip("-n", name, "link", "set", "lo", "up")

    def _attach(self, ns: str, address: str, tag: int, index: int) -> None:
        outer, inner = f"plb{index}x{tag}", f"plh{index}x{tag}"
        _ip("-n", self.bridge_ns, "link", "add", outer, "type", "veth", "peer", "name", inner)
        _ip("-n", self.bridge_ns, "link", "set", inner, "netns", ns)
        _ip("-n", self.bridge_ns, "link", "set", outer, "master", "br0", "up")
        _ip("-n", ns, "addr", "add", f"{address}/24", "dev", inner)
        _ip("-n", ns, "link", "set", inner, "up")

    def _build(self, tag: int) -> None:
        self._add_ns(self.bridge_ns)
        _ip("-n", self.bridge_ns, "link", "add", "br0", "type", "bridge")
        _ip("-n", self.bridge_ns, "link", "set", "br0", "up")
        self._add_ns(self.scanner_ns)
        self._attach(self.scanner_ns, SCANNER_IP, tag, 0)
        for i, (ns, address) in enumerate(zip(self.host_ns, HOST_IPS), 1):
            self._add_ns(ns)
            self._attach(ns, address, tag, i)

    def command(self, *argv: str) -> list[str]:
        """argv run inside the scanner's namespace."""
        return ["ip", "netns", "exec", self.scanner_ns, *argv]

    def close(self) -> None:
        for ns in reversed(self.created):
            _ip("netns", "del", ns, check=False)
        self.created = []

    def __enter__(self) -> "LanLab":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_or_skip() -> LanLab:
    """A new lab, or the calling test skipped with the reason there can be none here."""
    import pytest

    try:
        return LanLab()
    except LabUnavailable as exc:
        pytest.skip(str(exc))
