"""The plain data of service detection: what was exchanged with a port.

A `BannerCapture` is everything detection learned from the wire, as bytes; `identify` turns it
into a `prtip.model.ServiceInfo` without touching the network, which is what lets the golden
tests replay captures of real servers. Captures round-trip through JSON (bytes as base64) for
the corpus.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Exchange:
    """One probe and the bytes that came back.

    `probe` names the probe ("null" is the passive read of a greeting); `tls` is True when it ran
    inside a TLS session; `closed` is True when the peer closed the connection while we read.
    """

    probe: str
    sent: bytes
    received: bytes
    tls: bool = False
    closed: bool = False


@dataclass(frozen=True)
class TlsSession:
    """The TLS session negotiated with a port (verification off: only what the server said)."""

    version: str
    cipher: str


@dataclass(frozen=True)
class BannerCapture:
    """Everything one port told us, in the order it was asked."""

    host: str
    port: int
    exchanges: tuple[Exchange, ...] = ()
    tls: TlsSession | None = None
    error: str | None = None  # why grabbing stopped before it was done (refused, reset, timeout)
    protocol: str = "tcp"

    @property
    def banner(self) -> bytes | None:
        """The bytes to show as the port's banner: the greeting, else the first answer."""
        for exchange in self.exchanges:
            if exchange.received:
                return exchange.received
        return None

    def response(self, probe: str, *, tls: bool | None = None) -> bytes | None:
        """What came back to `probe` (first match), or None when it was not sent."""
        for exchange in self.exchanges:
            if exchange.probe == probe and (tls is None or exchange.tls == tls):
                return exchange.received
        return None


# ---- JSON round trip (the corpus format) ----------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def capture_to_json(capture: BannerCapture) -> dict[str, Any]:
    return {
        "host": capture.host,
        "port": capture.port,
        "protocol": capture.protocol,
        "tls": None if capture.tls is None else {"version": capture.tls.version,
                                                 "cipher": capture.tls.cipher},
        "error": capture.error,
        "exchanges": [{"probe": e.probe, "tls": e.tls, "closed": e.closed,
                       "sent": _b64(e.sent), "received": _b64(e.received)}
                      for e in capture.exchanges],
    }


def capture_from_json(data: dict[str, Any]) -> BannerCapture:
    tls = data.get("tls")
    return BannerCapture(
        host=data["host"],
        port=int(data["port"]),
        exchanges=tuple(Exchange(probe=e["probe"], sent=base64.b64decode(e["sent"]),
                                 received=base64.b64decode(e["received"]),
                                 tls=bool(e.get("tls")), closed=bool(e.get("closed")))
                        for e in data["exchanges"]),
        tls=None if tls is None else TlsSession(tls["version"], tls["cipher"]),
        error=data.get("error"),
        protocol=data.get("protocol", "tcp"),
    )
