"""DNS: the answer to a CHAOS TXT query for version.bind (over TCP, or UDP).

Any well-formed reply to our query id proves a DNS server; the TXT string, when the server
gives one, names the software ("9.18.28-1~deb12u2-Debian", "dnsmasq-2.89", "unbound 1.17.1").
"""

from __future__ import annotations

import re
import struct

from prtip.model import ServiceInfo
from prtip.service.matchers.base import found, text
from prtip.service.probes import DNS_ID
from prtip.service.records import Exchange

_SOFTWARE = (
    (re.compile(rb"^(9\.\d+\.\d+(?:-[SP]\d+)?)(?:-(.+?))?(?:-(Debian|Ubuntu|Raspbian))?$"), "ISC BIND"),
    (re.compile(rb"^dnsmasq-(\d[\w.]*)$"), "dnsmasq"),
    (re.compile(rb"^unbound (\d[\w.]*)$"), "Unbound"),
    (re.compile(rb"^PowerDNS Authoritative Server (\d[\w.]*)"), "PowerDNS Authoritative Server"),
    (re.compile(rb"^PowerDNS Recursor (\d[\w.]*)"), "PowerDNS Recursor"),
    (re.compile(rb"^Knot DNS (\d[\w.]*)$"), "Knot DNS"),
    (re.compile(rb"^Microsoft DNS (\d[\w.]*)"), "Microsoft DNS"),
    (re.compile(rb"^CoreDNS-(\d[\w.]*)$"), "CoreDNS"),
)


def _skip_name(msg: bytes, pos: int) -> int:
    for _ in range(128):
        if pos >= len(msg):
            raise ValueError("truncated name")
        length = msg[pos]
        if length == 0:
            return pos + 1
        if length & 0xC0 == 0xC0:
            return pos + 2
        pos += 1 + length
    raise ValueError("name too long")


def first_txt(msg: bytes) -> tuple[int, bytes | None] | None:
    """(rcode, first TXT string or None) of a reply to our query, or None when it is not one."""
    if len(msg) < 12:
        return None
    ident, flags, qd, an = struct.unpack("!HHHH", msg[:8])
    if ident != DNS_ID or not flags & 0x8000 or qd > 4:
        return None
    try:
        pos = 12
        for _ in range(qd):
            pos = _skip_name(msg, pos) + 4
        for _ in range(min(an, 16)):
            pos = _skip_name(msg, pos)
            rtype, _cls, _ttl, rdlen = struct.unpack("!HHIH", msg[pos:pos + 10])
            pos += 10
            rdata = msg[pos:pos + rdlen]
            pos += rdlen
            if rtype == 16 and rdata:
                return flags & 0xF, rdata[1:1 + rdata[0]]
    except (ValueError, struct.error, IndexError):
        return None
    return (flags & 0xF, None) if pos <= len(msg) else None


def match(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if exchange.probe == "dns-version-bind":
        if len(data) < 14 or int.from_bytes(data[:2], "big") != len(data) - 2:
            return None
        data = data[2:]
    elif exchange.probe != "dns-version-bind-udp":
        return None
    answer = first_txt(data)
    if answer is None:
        return None
    _rcode, txt = answer
    if txt:
        for pattern, product in _SOFTWARE:
            m = pattern.match(txt)
            if m:
                info = os_type = None
                if product == "ISC BIND":
                    distro, release = m.group(3), m.group(2)
                    if distro:
                        info, os_type = f"{text(distro)} {text(release or b'')}".strip(), "Linux"
                    elif release:
                        info = text(release)
                return found("domain", product, text(m.group(1)), info, os_type)
    return found("domain")
