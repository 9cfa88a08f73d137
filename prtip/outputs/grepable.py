"""Grepable output (-oG): nmap's one-line-per-host format for grep, awk and cut."""

from __future__ import annotations

from prtip.outputs.base import Output, known_service, nmap_time, port_ranges, service_column, version_text
from prtip.report import HostReport, Report
from prtip.textsafe import escape


def _field(text: str) -> str:
    """A value as one -oG field: control bytes (line breaks, tabs) escaped, and '/' and ','
    (which delimit fields) replaced as nmap does, so a value never adds a line or a field."""
    return escape(text).replace("/", "|").replace(",", " ")


class GrepableOutput(Output):
    name = "grepable"

    def begin(self, report: Report) -> None:
        self.write(f"# prtip {report.version} scan initiated {nmap_time(report.start)} as: "
                   f"{escape(report.config.args)}\n")
        # nmap writes this line with -v only; it costs a parser nothing, so prtip always does
        scanned = {proto: list(report.ports.of(proto)) for proto in ("tcp", "udp")}
        self.write("# Ports scanned: " + " ".join(
            f"{proto.upper()}({len(ports)};{port_ranges(ports)})" for proto, ports in scanned.items())
            + " SCTP(0;) PROTOCOLS(0;)\n")

    def host_done(self, report: Report, host: HostReport) -> None:
        t = host.target
        who = f"Host: {t.address} ({escape(t.hostname or '')})"
        self.write(f"{who}\tStatus: {'Up' if host.status.up else 'Down'}\n")
        if not host.status.up:
            return
        cfg = report.config
        ignored = host.ignored_states(cfg.verbosity, cfg.open_only)
        ports = []
        for r in host.listed(ignored):
            guessed = cfg.version_detection and not host.interrupted
            name = _field(service_column(r, guessed)) if known_service(r) else ""
            ports.append(f"{r.port}/{r.state}/{r.protocol}//{name}//{_field(version_text(r))}/")
        line = f"{who}\tPorts: {', '.join(ports)}" if ports else who
        summary = host.ignored_summary(ignored)
        if summary:
            counts: dict[str, int] = {}
            for state, _, _, n in summary:
                counts[state] = counts.get(state, 0) + n
            state, n = max(counts.items(), key=lambda kv: kv[1])
            line += f"\tIgnored State: {state} ({n})"
        if ports or summary:
            self.write(line + "\n")

    def end(self, report: Report) -> None:
        note = " (interrupted)" if report.interrupted else ""
        self.write(f"# prtip done at {nmap_time(report.end or report.start)} -- {report.summary()}{note}\n")
        self.close()
