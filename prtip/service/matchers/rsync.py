"""rsync daemon: the "@RSYNCD: <protocol>" greeting (protocol version, not the program's)."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import found, text
from prtip.service.records import Exchange

_GREETING = re.compile(rb"^@RSYNCD: (\d+(?:\.\d+)?)")


def match(exchange: Exchange) -> ServiceInfo | None:
    m = _GREETING.match(exchange.received)
    return found("rsync", info=f"protocol version {text(m.group(1))}") if m else None
