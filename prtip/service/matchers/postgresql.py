"""PostgreSQL: the server's answer to a StartupMessage (an ErrorResponse or an auth request).

PostgreSQL sends nothing first and never states its version before authentication, so this
matcher reports the product without a version. An ErrorResponse is a sequence of one-letter
fields ("S" severity, "C" SQLSTATE, "M" message...) ended by a zero byte.
"""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import SERVICE_ONLY, found, text
from prtip.service.records import Exchange

PRODUCT = "PostgreSQL DB"
_SQLSTATE = re.compile(rb"^[0-9A-Z]{5}$")
_AUTH_CODES = {0, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12}


def _error_fields(body: bytes) -> dict[bytes, bytes] | None:
    fields: dict[bytes, bytes] = {}
    pos = 0
    while pos < len(body) and body[pos] != 0:
        end = body.find(b"\0", pos + 1)
        if end < 0:
            return None
        fields[body[pos:pos + 1]] = body[pos + 1:end]
        pos = end + 1
    return fields if pos < len(body) else None


def match(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if len(data) < 9:
        return None
    kind, size = data[:1], int.from_bytes(data[1:5], "big")
    if size < 4 or size > 65536 or len(data) < 1 + size:
        return None
    body = data[5:1 + size]
    if kind == b"E":
        fields = _error_fields(body)
        if not fields or not _SQLSTATE.match(fields.get(b"C", b"")) or b"M" not in fields:
            return None
        return found("postgresql", PRODUCT, info=None, confidence=0.9 if b"S" in fields else SERVICE_ONLY)
    if kind == b"R" and size >= 8 and int.from_bytes(body[:4], "big") in _AUTH_CODES:
        mechanism = body[4:].split(b"\0", 1)[0]
        return found("postgresql", PRODUCT, info=f"auth {text(mechanism)}" if mechanism else None,
                     confidence=0.85)
    return None
