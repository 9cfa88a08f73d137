"""The -sV stage: every open port of a host grabbed and identified at the same time.

`detect_results` is what the pipeline calls (PortResults in, PortResults out);
`detect_services` is the same work keyed by port number, for callers without results.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Sequence

from prtip.model import OPEN, PortResult, ServiceInfo
from prtip.service.grabber import grab_banner
from prtip.service.identify import identify
from prtip.service.records import BannerCapture
from prtip.service.udpgrabber import grab_udp

log = logging.getLogger("prtip.service")

# Every port is probed at once, up to this many conversations (file descriptors are finite).
MAX_CONCURRENCY = 256


async def detect_services(host: str, ports: list[tuple[int, str]], *, timeout: float,
                          intensity: int = 7) -> dict[int, tuple[ServiceInfo | None, bytes | None]]:
    """port → (service or None, raw banner bytes or None) for each (port, "tcp"/"udp")."""
    gate = asyncio.Semaphore(MAX_CONCURRENCY)

    async def one(port: int, protocol: str) -> tuple[int, tuple[ServiceInfo | None, bytes | None]]:
        async with gate:
            if protocol == "udp":
                capture = await grab_udp(host, port, timeout=timeout)
            else:
                capture = await grab_banner(host, port, timeout=timeout, intensity=intensity)
        return port, (_identify_safely(port, capture), capture.banner)

    return dict(await asyncio.gather(*(one(port, protocol) for port, protocol in ports)))


async def detect_results(host: str, results: Sequence[PortResult], *, timeout: float,
                         intensity: int = 7) -> list[PortResult]:
    """The open ones among `results` with their service and banner filled in."""
    updated = []
    for protocol in ("tcp", "udp"):  # detect_services keys its answer by port number alone
        mine = [r for r in results if r.state == OPEN and r.protocol == protocol]
        if not mine:
            continue
        found = await detect_services(host, [(r.port, protocol) for r in mine], timeout=timeout,
                                      intensity=intensity)
        for r in mine:
            if r.port in found:
                service, banner = found[r.port]
                updated.append(replace(r, service=service, banner=banner))
    return updated


def _identify_safely(port: int, capture: BannerCapture) -> ServiceInfo | None:
    # A matcher bug on one hostile banner must not end the scan; tests call identify directly,
    # so such bugs still fail there.
    try:
        return identify(port, capture)
    except Exception:  # noqa: BLE001 - logged with its traceback, the scan goes on
        log.exception("service detection failed on port %d", port)
        return None
