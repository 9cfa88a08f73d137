"""-v progress: a bar with ETA on a terminal, plain periodic lines otherwise, on stderr.

Like nmap -v, each open port is reported as it is discovered, and each completed host: on
stdout with the terminal report (where nmap prints them), on stderr when stdout carries a
document (``-oX -`` and friends), which must stay clean. ETC is a clock time, as nmap's
"ETC: 03:56 (0:00:14 remaining)".
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import IO

from prtip.model import PortResult
from prtip.report import HostReport, Report
from prtip.textsafe import escape  # addresses may come from plugins' pre_scan: never raw on the terminal

SCAN_NAMES = {"connect": "Connect", "syn": "SYN Stealth", "fin": "FIN", "null": "NULL", "xmas": "XMAS",
              "ack": "ACK", "udp": "UDP"}  # as nmap -v's "Initiating ... Scan" names them
BAR_WIDTH = 30
TTY_INTERVAL = 0.2
PLAIN_INTERVAL = 2.0


def _clock(seconds: float) -> str:
    s = int(max(0, seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    """Reports how far the scan is; silent unless -v."""

    def __init__(self, report: Report, verbosity: int, stream: IO[str] | None = None,
                 events: IO[str] | None = None) -> None:
        self.report, self.verbosity = report, verbosity
        self.stream = stream or sys.stderr
        self.events = events or self.stream  # where "Discovered ..." and "Completed ..." go
        self.tty = self.stream.isatty()
        self.task: asyncio.Task[None] | None = None
        self._bar_shown = False
        self._phase_start: float | None = None

    def _write(self, text: str) -> None:
        if self._bar_shown:
            self.stream.write("\r\x1b[K")
            self._bar_shown = False
        self.stream.write(text)
        self.stream.flush()

    def fraction(self) -> float:
        total = self.report.probes_total
        return self.report.probes_done / total if total else 0.0

    def line(self) -> str:
        elapsed = time.time() - self.report.start
        frac = self.fraction()
        eta = elapsed * (1 - frac) / frac if frac > 0 else None
        if eta is None:
            remaining = "estimating"
        elif self.tty:
            remaining = f"{_clock(eta)} remaining"
        else:
            etc = time.strftime("%H:%M", time.localtime(time.time() + eta))
            remaining = f"{etc} ({_clock(eta)} remaining)"
        if self.tty:
            filled = int(BAR_WIDTH * frac)
            return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {frac * 100:5.1f}% ETA {remaining}"
        hosts = sum(1 for h in self.report.hosts.values() if h.complete)
        return (f"Stats: {_clock(elapsed)} elapsed; {hosts} hosts completed; "
                f"About {frac * 100:.2f}% done; ETC: {remaining}\n")

    async def run(self) -> None:
        interval = TTY_INTERVAL if self.tty else PLAIN_INTERVAL
        while True:
            await asyncio.sleep(interval)
            if self.tty:
                self.stream.write("\r\x1b[K" + self.line())
                self.stream.flush()
                self._bar_shown = True
            else:
                self._write(self.line())

    def start(self) -> None:
        if self.verbosity and self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.run())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self._bar_shown:
            self._write("")

    # ---- events -------------------------------------------------------------------------------
    def _event(self, text: str) -> None:
        if self.events is self.stream:
            self._write(text)
            return
        if self._bar_shown:  # the bar is on the same terminal: clear it first
            self._write("")
        self.events.write(text)
        self.events.flush()

    def phase_name(self) -> str:
        config = self.report.config
        if config.ping_only:
            return "Ping Scan"
        return " + ".join(SCAN_NAMES.get(name, name) for name in config.scan_type_names) + " Scan"

    def scan_started(self, where: str = "") -> None:
        """nmap -v's "Initiating Connect Scan at 14:02" (``where``: on what, for a cluster)."""
        self._phase_start = time.monotonic()
        if self.verbosity:
            ports = len(self.report.ports)
            hosts = self.report.total_targets
            per_host = f" [{ports} port{'' if ports == 1 else 's'}/host]" if ports else ""
            self._event(f"Initiating {self.phase_name()} at {time.strftime('%H:%M')}{where}\n"
                        f"Scanning {hosts} host{'' if hosts == 1 else 's'}{per_host}\n")

    def scan_finished(self, probes: int | None = None) -> None:
        """nmap -v's "Completed Connect Scan at 14:02, 2.10s elapsed (262140 total ports)": the
        probing alone, before the last outputs are written (``probes``: when the report does
        not count them yet, as a cluster's before the merge)."""
        if self.verbosity and self._phase_start is not None:
            took = time.monotonic() - self._phase_start
            done = self.report.probes_done if probes is None else probes
            self._event(f"Completed {self.phase_name()} at {time.strftime('%H:%M')}, {took:.2f}s elapsed "
                        f"({done} total ports)\n")
        self._phase_start = None

    def discovered(self, result: PortResult) -> None:
        if self.verbosity:
            self._event(f"Discovered {result.state} port {result.port}/{result.protocol} on {escape(result.host)}\n")

    def begin(self, report: Report) -> None:
        pass

    def host_done(self, report: Report, host: HostReport) -> None:
        if self.verbosity and host.status.up:
            took = (host.end or time.time()) - host.start
            self._event(f"Completed scan of {escape(host.target.address)}: {len(host.results)} ports in {took:.2f}s\n")

    def end(self, report: Report) -> None:
        self.stop()
