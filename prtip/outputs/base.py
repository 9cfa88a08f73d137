"""What every output format shares: opening its file, and how a port's service reads.

An output is a report listener (begin / host_done / end). Formats that can stream (normal,
grepable) write each host as soon as it is complete; documents (XML, JSON) are written whole at
the end, which after Ctrl-C still happens, with everything found so far.
"""

from __future__ import annotations

import sys
import time
from typing import IO

from prtip.errors import OutputError
from prtip.model import PortResult
from prtip.ports import service_name
from prtip.report import HostReport, Report
from prtip.textsafe import escape


class Output:
    """One requested output: a format bound to a file (or stdout for '-')."""

    name = ""

    def __init__(self, path: str, *, interactive: bool = False) -> None:
        self.path = path
        self.interactive = interactive  # the terminal report, not a requested -oN/-oG/... file
        self.stream: IO[str]
        if path == "-":
            self.stream = sys.stdout
        else:
            try:
                self.stream = open(path, "w", encoding="utf-8")
            except OSError as exc:
                raise OutputError(path, exc.strerror or str(exc)) from None

    def write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except OSError as exc:
            raise OutputError(self.path, exc.strerror or str(exc)) from None
        except ValueError:
            pass  # stream already closed (e.g. stdout gone at exit)

    def close(self) -> None:
        if self.stream is not sys.stdout:
            self.stream.close()

    def begin(self, report: Report) -> None:
        pass

    def host_done(self, report: Report, host: HostReport) -> None:
        pass

    def end(self, report: Report) -> None:
        pass


# ---- shared wording --------------------------------------------------------------------------
def service_column(result: PortResult, version_detection: bool) -> str:
    """The SERVICE column: the detected name, else the port table's (with '?' under -sV)."""
    svc = result.service
    if svc is not None and svc.name:
        return f"{svc.tunnel}/{svc.name}" if svc.tunnel else svc.name
    name = service_name(result.port, result.protocol)
    return f"{name}?" if version_detection and result.state == "open" and name != "unknown" else name


def version_text(result: PortResult) -> str:
    """'product version (info)' as nmap's VERSION column reads."""
    svc = result.service
    if svc is None:
        return ""
    parts = [p for p in (svc.product, svc.version) if p]
    if svc.info:
        parts.append(f"({svc.info})")
    return " ".join(parts)


def sig_digits(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` significant digits and never an exponent, as nmap writes
    latencies (0.000084, 0.012, 1.3)."""
    import math

    if x <= 0 or not math.isfinite(x):
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(x)))
    return f"{x:.{decimals}f}"


def known_service(result: PortResult) -> bool:
    """Whether the port has a name: detected, or in the port table (nmap omits 'unknown' from
    -oG and writes no <service> for it in XML)."""
    svc = result.service
    return bool(svc is not None and (svc.name or svc.product)) or \
        service_name(result.port, result.protocol) != "unknown"


def port_ranges(ports: list[int]) -> str:
    """'1-3,5' from [1, 2, 3, 5], as nmap's scaninfo services attribute writes them."""
    out: list[str] = []
    ports = sorted(ports)
    i = 0
    while i < len(ports):
        j = i
        while j + 1 < len(ports) and ports[j + 1] == ports[j] + 1:
            j += 1
        out.append(str(ports[i]) if i == j else f"{ports[i]}-{ports[j]}")
        i = j + 1
    return ",".join(out)


def nmap_time(ts: float) -> str:
    """'Wed Nov 26 07:28:00 2026', nmap's startstr format."""
    return time.strftime("%a %b %d %H:%M:%S %Y", time.localtime(ts))


def host_label(host: HostReport) -> str:
    """'name (address)' or 'address', as nmap heads a host's report (the name terminal-safe)."""
    t = host.target
    return f"{escape(t.hostname)} ({t.address})" if t.hostname else t.address
