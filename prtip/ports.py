"""Port specifications → the ports to scan per protocol, and port → service name.

Syntax like nmap's ``-p``: ``22,80,1000-2000``, open ranges (``-1024``, ``60000-``), ``-`` for
1-65535, service names (``http``), protocol prefixes that apply until the next one
(``U:53,161,T:21-25,80``). Without -p the most common 1000 ports per protocol are scanned.
"""

from __future__ import annotations

import functools
import os
import random
from dataclasses import dataclass

from prtip.errors import PortSpecError

PROTOCOLS = ("tcp", "udp")
DEFAULT_TOP = 1000
FAST_TOP = 100
_BY_NAME: dict[str, dict[str, list[int]]] = {}


def _table_text(filename: str) -> str:
    """One of prtip/data's generated tables (``#`` lines are its header)."""
    # beside this module, in the package (importlib.resources costs 3 ms of start-up to say so)
    with open(os.path.join(os.path.dirname(__file__), "data", filename), encoding="utf-8") as fh:
        return fh.read()


def _table_lines(filename: str) -> list[str]:
    return [line for line in _table_text(filename).splitlines() if line and line[0] != "#"]


class _ServiceNames:
    """nmap's port → name table, services.tsv (12,000 lines of ``proto<TAB>port<TAB>name``).

    Parsing it takes 5 ms, a sixth of a 20-port scan's own work: the first ports looked up are
    searched in its text instead (a few µs for the common ports, 90 µs at worst, each port
    once); past SEARCHES ports it is parsed into one dict per protocol, so a scan printing
    thousands of ports pays the parse once."""

    SEARCHES = 32

    def __init__(self) -> None:
        self._text = ""
        self._tables: dict[str, dict[int, str]] | None = None
        self._found: dict[tuple[int, str], str] = {}  # what the searches found (outputs ask again)

    def name(self, port: int, protocol: str) -> str:
        if self._tables is None:
            found = self._found.get((port, protocol))
            if found is not None:
                return found
            if len(self._found) < self.SEARCHES:
                found = self._found[port, protocol] = self._search(port, protocol)
                return found
        return self.table(protocol).get(port, "unknown")

    def table(self, protocol: str) -> dict[int, str]:
        if self._tables is None:
            tables: dict[str, dict[int, str]] = {proto: {} for proto in PROTOCOLS}
            for line in _table_lines("services.tsv"):
                proto, port, name = line.split("\t")
                tables[proto][int(port)] = name
            self._tables = tables
            self._text = ""
            self._found.clear()
        return self._tables.get(protocol, {})

    def _search(self, port: int, protocol: str) -> str:
        if not self._text:
            self._text = "\n" + _table_text("services.tsv")  # so the first line starts with \n too
        key = f"\n{protocol}\t{port}\t"
        start = self._text.find(key)
        if start < 0:
            return "unknown"
        start += len(key)
        end = self._text.find("\n", start)
        return self._text[start:end if end >= 0 else len(self._text)]


_SERVICES = _ServiceNames()


def _names(protocol: str) -> dict[int, str]:
    return _SERVICES.table(protocol)


@functools.cache
def _top(protocol: str) -> tuple[int, ...]:
    """The protocol's ports, most often open first, read from top_ports.txt on first use."""
    for line in _table_lines("top_ports.txt"):
        proto, _, ports = line.partition("\t")
        if proto == protocol:
            return tuple(map(int, ports.split(",")))
    return ()


@dataclass(frozen=True)
class PortSelection:
    """Ports to scan per protocol, in scan order."""

    tcp: tuple[int, ...] = ()
    udp: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.tcp) + len(self.udp)

    def of(self, protocol: str) -> tuple[int, ...]:
        return self.tcp if protocol == "tcp" else self.udp


def service_name(port: int, protocol: str) -> str:
    """nmap's name for a port (``unknown`` when it has none)."""
    return _SERVICES.name(port, protocol)


def _ports_named(name: str, protocol: str) -> list[int]:
    if protocol not in _BY_NAME:
        table: dict[str, list[int]] = {}
        for port, svc in _names(protocol).items():
            table.setdefault(svc, []).append(port)
        _BY_NAME[protocol] = table
    return _BY_NAME[protocol].get(name, [])


def _parse_number(text: str, spec: str) -> int:
    if not text.isdigit():
        raise PortSpecError(spec, f"{text!r} is not a port number or known service name")
    value = int(text)
    if value > 65535:
        raise PortSpecError(spec, f"port {value} is out of range (0-65535)")
    return value


def parse_port_spec(spec: str) -> dict[str, list[int]]:
    """A -p / --exclude-ports spec → ports per protocol ("any" for ports without a prefix)."""
    out: dict[str, list[int]] = {"any": [], "tcp": [], "udp": []}
    current = "any"
    if not spec.strip():
        raise PortSpecError(spec, "empty port list")
    for raw in spec.split(","):
        item = raw.strip()
        prefix, colon, rest = item.partition(":")
        if colon:
            proto = {"T": "tcp", "U": "udp"}.get(prefix.upper())
            if proto is None:
                raise PortSpecError(spec, f"unknown protocol prefix {prefix + ':'!r} (use T: or U:)")
            current, item = proto, rest
            if not item:
                continue
        if item == "-":
            out[current].extend(range(1, 65536))
        elif "-" in item:
            left, _, right = item.partition("-")
            lo = _parse_number(left, spec) if left else 1
            hi = _parse_number(right, spec) if right else 65535
            if lo > hi:
                raise PortSpecError(spec, f"range {item!r} is backwards")
            out[current].extend(range(lo, hi + 1))
        elif item.isdigit():
            out[current].append(_parse_number(item, spec))
        elif item:
            protos = PROTOCOLS if current == "any" else (current,)
            found = [p for proto in protos for p in _ports_named(item.lower(), proto)]
            if not found:
                raise PortSpecError(spec, f"{item!r} is not a port number or known service name")
            for proto in protos:
                out[proto].extend(_ports_named(item.lower(), proto))
        else:
            raise PortSpecError(spec, "empty item in port list")
    return out


def top_ports(protocol: str, count: int) -> list[int]:
    """The `count` ports nmap found open most often for this protocol."""
    return list(_top(protocol)[:count])


def select_ports(
    spec: str | None = None,
    *,
    protocols: tuple[str, ...] = ("tcp",),
    fast: bool = False,
    top: int | None = None,
    exclude: str | None = None,
    randomize: bool = True,
    rng: random.Random | None = None,
) -> PortSelection:
    """Resolve -p / -F / --top-ports / --exclude-ports / -r into the ports each protocol scans."""
    if sum(x is not None and x is not False for x in (spec, top, fast or None)) > 1:
        raise PortSpecError(spec or str(top), "use only one of -p, -F and --top-ports")
    if top is not None and top < 1:
        raise PortSpecError(str(top), "--top-ports needs a positive number")
    chosen: dict[str, list[int]] = {}
    if spec is not None:
        parsed = parse_port_spec(spec)
        for proto in protocols:
            chosen[proto] = parsed["any"] + parsed[proto]
        ignored = [p for p in PROTOCOLS if p not in protocols and parsed[p]]
        if ignored and not any(chosen.values()):
            hint = "add -sU to scan UDP ports" if "udp" in ignored else "add a TCP scan type (-sT/-sS)"
            raise PortSpecError(spec, f"only {'/'.join(ignored).upper()} ports given: {hint}")
    else:
        count = top if top is not None else FAST_TOP if fast else DEFAULT_TOP
        for proto in protocols:
            chosen[proto] = top_ports(proto, count)
    if exclude:
        parsed_ex = parse_port_spec(exclude)
        for proto in protocols:
            drop = set(parsed_ex["any"]) | set(parsed_ex[proto])
            chosen[proto] = [p for p in chosen[proto] if p not in drop]
    result: dict[str, tuple[int, ...]] = {}
    for proto in protocols:
        ports = sorted(set(chosen.get(proto, [])))
        if randomize:
            (rng or random).shuffle(ports)
        result[proto] = tuple(ports)
    selection = PortSelection(tcp=result.get("tcp", ()), udp=result.get("udp", ()))
    if not len(selection):
        raise PortSpecError(spec or exclude or "", "no ports left to scan")
    return selection
