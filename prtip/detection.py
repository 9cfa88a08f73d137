"""Service detection stage (-sV): hands a host's open ports to prtip.service.

This is the one place that imports prtip.service (written separately, see its package), on
first use, so that scans without -sV do not pay for loading it. When
that package is missing, ``-sV`` fails with ServiceDetectionUnavailable instead of an
ImportError; scans without -sV never need it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from prtip.errors import ServiceDetectionUnavailable
from prtip.model import OPEN, PortResult


def _service() -> Any:
    """prtip.service, imported on first use (a scan without -sV never loads it), or None."""
    try:
        import prtip.service
    except ImportError as exc:  # only a missing (or not yet complete) prtip.service is tolerated,
        if exc.name != "prtip.service":  # not an import error from inside it
            raise
        return None
    return prtip.service


def __getattr__(name: str) -> Any:
    if name in ("ServiceInfo", "detect_services"):
        service = _service()
        return getattr(service, name) if service is not None else None
    raise AttributeError(f"module 'prtip.detection' has no attribute {name!r}")


__all__ = ["ServiceInfo", "available", "detect"]


def available() -> bool:
    return _service() is not None


def require() -> None:
    if not available():
        raise ServiceDetectionUnavailable(
            "-sV needs the prtip.service package, which is not installed; scan without -sV")


async def detect(host: str, results: Sequence[PortResult], *, timeout: float,
                 intensity: int = 7) -> list[PortResult]:
    """The open ones among `results` with their service and banner filled in."""
    require()
    updated = []
    for protocol in ("tcp", "udp"):  # detect_services keys its answer by port number alone
        mine = [r for r in results if r.state == OPEN and r.protocol == protocol]
        if not mine:
            continue
        # a module attribute set here (tests replace detect_services) wins over the package's
        detect_services = globals().get("detect_services") or _service().detect_services
        found = await detect_services(host, [(r.port, protocol) for r in mine], timeout=timeout,
                                      intensity=intensity)
        for r in mine:
            if r.port in found:
                service, banner = found[r.port]
                updated.append(replace(r, service=service, banner=banner))
    return updated
