"""Target specifications → the addresses to scan.

Accepted like nmap: IPv4/IPv6 addresses, CIDR (``10.0.0.0/24``, ``::1/128``), IPv4 octet ranges
and lists (``192.168.1.1-20``, ``10.0.0,1.*``), hostnames (resolved once, here; IPv4 first unless
``prefer_ipv6``), ``-iL`` files (whitespace-separated specs, ``#`` comments, ``-`` for stdin),
``--exclude`` / ``--exclude-file`` with the same syntax. Every bad spec raises TargetSpecError
naming it.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator

from prtip.errors import TargetSpecError
from prtip.model import Target

MAX_ADDRESSES_PER_SPEC = 1 << 24  # a /8; beyond that a typo is likelier than intent
_OCTET_RANGE = re.compile(r"^[\d,\-*.]+$")


@dataclass(frozen=True)
class Network:
    """A CIDR block or single address."""

    net: ipaddress.IPv4Network | ipaddress.IPv6Network
    hostname: str | None = None

    def __iter__(self) -> Iterator[Target]:
        if self.net.num_addresses == 1:
            yield Target(str(self.net.network_address), self.hostname)
            return
        base = int(self.net.network_address)
        cls = type(self.net.network_address)
        for i in range(self.net.num_addresses):  # nmap includes network and broadcast addresses
            yield Target(str(cls(base + i)))

    def __contains__(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return ip.version == self.net.version and ip in self.net

    def __len__(self) -> int:
        return self.net.num_addresses


@dataclass(frozen=True)
class OctetRange:
    """An IPv4 spec with a set of values per octet (``10.0.0-3.1,5,*``)."""

    octets: tuple[tuple[int, ...], ...]

    def __iter__(self) -> Iterator[Target]:
        a, b, c, d = self.octets
        for w in a:
            for x in b:
                for y in c:
                    for z in d:
                        yield Target(f"{w}.{x}.{y}.{z}")

    def __contains__(self, address: str) -> bool:
        parts = address.split(".")
        if len(parts) != 4 or ":" in address:
            return False
        return all(int(p) in set(o) for p, o in zip(parts, self.octets))

    def __len__(self) -> int:
        n = 1
        for o in self.octets:
            n *= len(o)
        return n


Spec = Network | OctetRange


def _parse_octet(text: str, spec: str, source: str | None) -> tuple[int, ...]:
    values: list[int] = []
    for part in text.split(","):
        if part == "*":
            lo, hi = 0, 255
        elif "-" in part:
            left, _, right = part.partition("-")
            lo = int(left) if left else 0
            hi = int(right) if right else 255
        elif part.isdigit():
            lo = hi = int(part)
        else:
            raise TargetSpecError(spec, f"bad octet {part!r}", source)
        if not (0 <= lo <= hi <= 255):
            raise TargetSpecError(spec, f"octet range {part!r} is not within 0-255", source)
        values.extend(range(lo, hi + 1))
    return tuple(dict.fromkeys(values))


def resolve(name: str, prefer_ipv6: bool = False, source: str | None = None) -> str:
    """The address of a hostname, resolved once (IPv4 first unless prefer_ipv6)."""
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetSpecError(name, "cannot resolve host name" + (f" ({exc.strerror})" if getattr(exc, "strerror", None) else ""), source) from None
    families = [socket.AF_INET6, socket.AF_INET] if prefer_ipv6 else [socket.AF_INET, socket.AF_INET6]
    for family in families:
        for info in infos:
            if info[0] == family:
                return str(info[4][0])
    raise TargetSpecError(name, "host name has no IPv4 or IPv6 address", source)


def parse_spec(spec: str, *, prefer_ipv6: bool = False, source: str | None = None) -> Spec:
    """One target specification → a Network or OctetRange (hostnames resolved now)."""
    text = spec.strip()
    if not text:
        raise TargetSpecError(spec, "empty target", source)
    addr, slash, prefix = text.partition("/")
    if slash and not prefix.isdigit():
        raise TargetSpecError(spec, f"bad prefix length {prefix!r}", source)
    if ":" in addr:  # IPv6 literal
        try:
            result: Spec = Network(ipaddress.ip_network(text.split("%")[0], strict=False))
        except ValueError as exc:
            raise TargetSpecError(spec, str(exc), source) from None
    elif _OCTET_RANGE.match(addr) and addr.count(".") == 3:
        octets = tuple(_parse_octet(o, spec, source) for o in addr.split("."))
        if slash:
            if any(len(o) != 1 for o in octets):
                raise TargetSpecError(spec, "cannot combine octet ranges with a prefix length", source)
            try:
                result = Network(ipaddress.ip_network(f"{'.'.join(str(o[0]) for o in octets)}/{prefix}", strict=False))
            except ValueError as exc:
                raise TargetSpecError(spec, str(exc), source) from None
        elif all(len(o) == 1 for o in octets):
            result = Network(ipaddress.ip_network(".".join(str(o[0]) for o in octets)))
        else:
            result = OctetRange(octets)
    elif re.fullmatch(r"[\d.]+", addr):
        raise TargetSpecError(spec, "not a valid IPv4 address", source)
    elif re.fullmatch(r"[A-Za-z0-9_.-]+", addr) and not slash:
        address = resolve(addr, prefer_ipv6, source)
        result = Network(ipaddress.ip_network(address), hostname=addr)
    else:
        raise TargetSpecError(spec, "not an address, CIDR block, octet range or host name", source)
    if len(result) > MAX_ADDRESSES_PER_SPEC:
        raise TargetSpecError(spec, f"{len(result)} addresses is more than prtip scans from one spec (2^24)", source)
    return result


def read_spec_file(path: str) -> list[tuple[str, str]]:
    """(spec, "FILE line N") for every spec in an -iL / --exclude-file file ('-' is stdin)."""
    try:
        if path == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a text file"
        raise TargetSpecError(path, f"cannot read target file: {reason}") from None
    specs = []
    for n, line in enumerate(lines, 1):
        for word in line.split("#", 1)[0].split():
            specs.append((word, f"{path} line {n}"))
    return specs


def split_exclude_list(text: str) -> list[str]:
    """Split an --exclude list on commas, keeping octet lists (``10.0.0.1,2``) whole."""
    specs: list[str] = []
    for piece in text.split(","):
        if specs and re.fullmatch(r"[\d\-*]+", piece):
            specs[-1] += "," + piece  # a bare number continues the previous spec's last octet
        elif piece:
            specs.append(piece)
    return specs


def expand(
    specs: Iterable[str],
    *,
    input_files: Iterable[str] = (),
    excludes: Iterable[str] = (),
    exclude_files: Iterable[str] = (),
    prefer_ipv6: bool = False,
) -> list[Target]:
    """All targets, in order, without duplicates and without excluded addresses."""
    sources: list[tuple[str, str | None]] = [(s, None) for s in specs]
    for path in input_files:
        sources.extend(read_spec_file(path))
    parsed = [parse_spec(s, prefer_ipv6=prefer_ipv6, source=src) for s, src in sources]
    ex_sources: list[tuple[str, str | None]] = []
    for item in excludes:
        ex_sources.extend((s, "--exclude") for s in split_exclude_list(item))
    for path in exclude_files:
        ex_sources.extend(read_spec_file(path))
    excluded = [parse_spec(s, prefer_ipv6=prefer_ipv6, source=src) for s, src in ex_sources]
    seen: set[str] = set()
    out: list[Target] = []
    for spec in parsed:
        for target in spec:
            if target.address in seen or any(target.address in ex for ex in excluded):
                continue
            seen.add(target.address)
            out.append(target)
    return out
