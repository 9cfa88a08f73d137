"""MySQL and MariaDB: the server's initial handshake packet (protocol 10) or its error packet.

MariaDB hides behind a MySQL-style greeting: "5.5.5-10.11.6-MariaDB-0+deb12u1" is MariaDB 10.11.6
(the "5.5.5-" prefix exists only to keep old MySQL clients happy).
"""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import SERVICE_ONLY, found, os_hint, text
from prtip.service.records import Exchange

_MARIADB = re.compile(rb"^(?:5\.5\.5-)?(\d+\.\d+\.\d+)-MariaDB(?:-(.+))?$")
_MYSQL = re.compile(rb"^(\d+\.\d+\.\d+)(?:-(.+))?$")


def match(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if len(data) < 6 or data[3] != 0:
        return None
    size = int.from_bytes(data[:3], "little")
    payload = data[4:4 + size]
    if size < 2 or len(payload) < 2:
        return None
    if payload[0] == 0xFF:  # error packet: code (2 bytes) then a message naming the server
        message = payload[3:]
        if message.startswith(b"#"):
            message = message[6:]  # "#HY000" SQL state
        if b"MariaDB" in message:
            return found("mysql", "MariaDB", info=text(message[:120]))
        if b"MySQL" in message:
            return found("mysql", "MySQL", info=text(message[:120]))
        return None
    if payload[0] != 0x0A:
        return None
    end = payload.find(b"\0", 1)
    if end < 2 or len(payload) < end + 1 + 4 + 8:  # version, thread id, scramble part 1
        return None
    version = payload[1:end]
    m = _MARIADB.match(version)
    if m:
        return found("mysql", "MariaDB", text(m.group(1)), _distro(m.group(2)),
                     os_hint(m.group(2) or b""))
    m = _MYSQL.match(version)
    if m:
        return found("mysql", "MySQL", text(m.group(1)), _distro(m.group(2)),
                     os_hint(m.group(2) or b""))
    return found("mysql", confidence=SERVICE_ONLY, info=text(version[:60]))


def _distro(suffix: bytes | None) -> str | None:
    """"0+deb12u1" / "0ubuntu0.22.04.1" / "log": the build suffix, shown as info."""
    return text(suffix) if suffix else None
