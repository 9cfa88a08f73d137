"""The probes sent to services that stay silent, and the order they are tried in.

Like nmap's nmap-service-probes, each probe has the ports it is native to and a rarity: a port's
own probes go first and are always sent; the others follow in rarity order while rarity is at
most the scan's intensity (0..9). Each probe also knows when its answer is complete, so reading
stops at the last byte instead of waiting for a silence.

"tls" is a pseudo-probe in the same list: the grabber performs a handshake there and, if it
works, runs the greeting read and the TLS-capable probes again inside the session.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import Callable

from prtip.service import ber

TLS = "tls"
NULL = "null"  # the passive read: no bytes sent


@dataclass(frozen=True)
class Probe:
    """One request to send, and how to tell its answer is complete."""

    name: str
    service: str                       # the service this probe is native to
    build: Callable[[str], bytes]      # host → request bytes
    ports: frozenset[int]
    rarity: int
    complete: Callable[[bytes], bool]
    in_tls: bool = True                # also worth sending inside a TLS session


# ---- completeness tests ---------------------------------------------------------------------

_CONTINUED = re.compile(rb"(?:^|\n)\d{3}-[^\n]*\n?$")


def lines_complete(data: bytes) -> bool:
    """A line-based answer ends with a newline that does not continue a `NNN-` reply."""
    return data.endswith(b"\n") and not _CONTINUED.search(data)


def greeting_complete(data: bytes) -> bool:
    """A greeting is complete when it is a full MySQL packet or a finished text reply."""
    if len(data) >= 5 and data[3] == 0 and data[4] in (0x0A, 0xFF):  # MySQL handshake / error
        return len(data) >= 4 + int.from_bytes(data[:3], "little")
    return lines_complete(data)


def http_complete(data: bytes) -> bool:
    if data.startswith(b"HTTP/"):
        return b"\r\n\r\n" in data or b"\n\n" in data
    return len(data) >= 5 and data.endswith(b"\n")  # some other protocol's error line


def _resp_replies(data: bytes) -> int:
    """How many complete Redis (RESP) replies `data` starts with."""
    count, pos = 0, 0
    while pos < len(data):
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        kind = data[pos:pos + 1]
        if kind == b"$":
            try:
                size = int(data[pos + 1:end])
            except ValueError:
                return count
            if size >= 0:
                end = end + 2 + size
                if end + 2 > len(data):
                    break
        elif kind not in (b"+", b"-", b":"):
            return count
        pos = end + 2
        count += 1
    return count


def redis_complete(data: bytes) -> bool:
    if data[:1] in (b"+", b"-", b"$", b":"):
        return _resp_replies(data) >= 2  # PING's and INFO's replies
    return data.endswith(b"\n")


def _length_prefixed(length_at: int, length_size: int, adjust: int) -> Callable[[bytes], bool]:
    """Complete once the big-endian length at `length_at` (plus `adjust`) bytes have arrived."""
    def complete(data: bytes) -> bool:
        if len(data) < length_at + length_size:
            return False
        size = int.from_bytes(data[length_at:length_at + length_size], "big")
        return len(data) >= size + adjust
    return complete


pgsql_complete = _length_prefixed(1, 4, 1)      # type byte, int32 length counting itself
dns_tcp_complete = _length_prefixed(0, 2, 2)    # int16 length not counting itself


def ldap_complete(data: bytes) -> bool:
    """Complete once a message other than a SearchResultEntry (0x64) has arrived."""
    for message in ber.decode_prefix(data):
        try:
            parts = message.children()
        except ber.BerError:
            return True  # not BER: nothing more worth waiting for
        if len(parts) >= 2 and parts[1].tag != 0x64:
            return True
    return False


def mqtt_complete(data: bytes) -> bool:
    """Complete at a PUBLISH (the broker's version) or a refused CONNACK."""
    pos = 0
    while pos + 2 <= len(data):
        kind = data[pos] >> 4
        size, shift, i = 0, 0, pos + 1
        while i < len(data) and i < pos + 5:
            size |= (data[i] & 0x7F) << shift
            shift += 7
            i += 1
            if not data[i - 1] & 0x80:
                break
        else:
            return False
        if i + size > len(data):
            return False
        if kind == 3 or (kind == 2 and size >= 2 and data[i + 1] != 0):
            return True
        pos = i + size
    return False


# ---- request builders -----------------------------------------------------------------------

def _host_header(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def http_get(host: str) -> bytes:
    return (f"GET / HTTP/1.1\r\nHost: {_host_header(host)}\r\nUser-Agent: prtip\r\n"
            "Accept: */*\r\nConnection: close\r\n\r\n").encode("ascii", "replace")


def smtp_ehlo(host: str) -> bytes:
    return b"EHLO prtip\r\n"


def redis_ping_info(host: str) -> bytes:
    return b"*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n"


def memcached_version(host: str) -> bytes:
    return b"version\r\n"


def pgsql_startup(host: str) -> bytes:
    params = b"user\0prtip\0database\0prtip\0application_name\0prtip\0\0"
    return struct.pack("!II", 8 + len(params), 196608) + params  # protocol 3.0


DNS_ID = 0x7072


def dns_version_bind_query() -> bytes:
    """A CHAOS TXT query for version.bind (no recursion), without a TCP length prefix."""
    header = struct.pack("!HHHHHH", DNS_ID, 0, 1, 0, 0, 0)
    return header + b"\x07version\x04bind\x00" + struct.pack("!HH", 16, 3)


def dns_version_bind(host: str) -> bytes:
    query = dns_version_bind_query()
    return struct.pack("!H", len(query)) + query


LDAP_ATTRIBUTES = (b"objectClass", b"structuralObjectClass", b"vendorName", b"vendorVersion",
                   b"supportedLDAPVersion", b"namingContexts")


def ldap_rootdse(host: str) -> bytes:
    search = ber.sequence(
        ber.octets(b""),               # baseObject: the root DSE
        ber.integer(0, tag=0x0A),      # scope: baseObject
        ber.integer(0, tag=0x0A),      # derefAliases: never
        ber.integer(0), ber.integer(10),  # size limit, time limit (s)
        ber.tlv(0x01, b"\x00"),        # typesOnly: FALSE
        ber.octets(b"objectClass", tag=0x87),  # filter: (objectClass=*)
        ber.sequence(*(ber.octets(a) for a in LDAP_ATTRIBUTES)),
        tag=0x63)
    return ber.sequence(ber.integer(1), search)


MQTT_VERSION_TOPIC = b"$SYS/broker/version"


def mqtt_connect(host: str) -> bytes:
    """CONNECT (3.1.1, clean session) then SUBSCRIBE to the broker's version topic.

    The spec lets a client send packets before CONNACK, so both go in one write.
    """
    client = b"prtip"
    variable = b"\x00\x04MQTT\x04\x02\x00\x3c" + struct.pack("!H", len(client)) + client
    connect = bytes([0x10, len(variable)]) + variable
    topic = struct.pack("!H", len(MQTT_VERSION_TOPIC)) + MQTT_VERSION_TOPIC + b"\x00"
    subscribe = bytes([0x82, 2 + len(topic)]) + b"\x00\x01" + topic
    return connect + subscribe


def generic_lines(host: str) -> bytes:
    return b"\r\n\r\n"


# ---- the table ------------------------------------------------------------------------------

HTTP_PORTS = frozenset({80, 81, 443, 591, 3000, 5000, 8000, 8008, 8080, 8081, 8088, 8443,
                        8888, 9000, 9090, 9443})
TLS_PORTS = frozenset({261, 443, 448, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 994, 995,
                       2083, 2087, 2096, 3269, 4433, 5061, 5986, 6679, 6697, 8443, 8883, 9443})

PROBES: tuple[Probe, ...] = (
    Probe("http-get", "http", http_get, HTTP_PORTS, 1, http_complete),
    Probe("redis", "redis", redis_ping_info, frozenset({6379, 6380}), 3, redis_complete),
    Probe("memcached", "memcached", memcached_version, frozenset({11211}), 4, lines_complete),
    Probe("pgsql-startup", "postgresql", pgsql_startup, frozenset({5432, 5433}), 4, pgsql_complete),
    Probe("dns-version-bind", "domain", dns_version_bind, frozenset({53, 5300, 5353}), 3,
          dns_tcp_complete),
    Probe("ldap-rootdse", "ldap", ldap_rootdse, frozenset({389, 636, 3268, 3269}), 4, ldap_complete),
    Probe("mqtt-connect", "mqtt", mqtt_connect, frozenset({1883, 8883}), 4, mqtt_complete),
    Probe("generic-lines", "", generic_lines, frozenset(), 6, lines_complete),
)

# Sent on the same connection right after a greeting that asks for it (not part of the order).
SMTP_EHLO = Probe("smtp-ehlo", "smtp", smtp_ehlo, frozenset(), 1, lines_complete)

TLS_RARITY = 1

BY_NAME = {p.name: p for p in PROBES + (SMTP_EHLO,)}


def probe_order(port: int, intensity: int, *, inside_tls: bool = False) -> list[str]:
    """Probe names to try on a silent `port`, best first (TLS_RARITY places "tls")."""
    candidates: list[tuple[int, int, str]] = []
    for index, probe in enumerate(PROBES):
        if inside_tls and not probe.in_tls:
            continue
        native = port in probe.ports
        if native or probe.rarity <= intensity:
            candidates.append((0 if native else probe.rarity, index, probe.name))
    if not inside_tls and (port in TLS_PORTS or TLS_RARITY <= intensity):
        # a TLS port's handshake comes before anything; elsewhere right after the HTTP probe
        candidates.append((0 if port in TLS_PORTS else TLS_RARITY, -1 if port in TLS_PORTS else 1,
                           TLS))
    return [name for _, _, name in sorted(candidates)]


def is_client_first(port: int) -> bool:
    """True when the port's usual service waits for the client (a greeting is unlikely)."""
    return port in TLS_PORTS or any(port in p.ports for p in PROBES)
