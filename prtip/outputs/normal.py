"""Normal output (-oN and stdout): nmap's human-readable report, host by host as they finish.

Two framings, as nmap's: the terminal report starts with "Starting prtip ..." and ends with
"prtip done: ..."; a requested -oN (a file, or "-") starts with "# prtip VERSION scan initiated
DATE as: ARGS" and ends with "# prtip done at DATE -- SUMMARY", so nmap-output tools find them.
"""

from __future__ import annotations

import time

from prtip.outputs.base import Output, host_label, nmap_time, service_column, sig_digits, version_text
from prtip.outputs.pluginvalues import text_lines
from prtip.report import HostReport, Report
from prtip.textsafe import escape_lines, escape


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def table(rows: list[list[str]]) -> list[str]:
    """Left-aligned columns separated by one space, like nmap's port table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [" ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def plugin_lines(text: str) -> list[str]:
    """Plugin text under a port line, framed like NSE script output ('|' ... '|_'); each line
    escaped, so a plugin or the service behind it cannot add lines or terminal sequences."""
    lines = escape_lines(text.rstrip("\n"))
    return [("|_" if i == len(lines) - 1 else "| ") + line for i, line in enumerate(lines)]


def port_extra(text: str | None, plugins: dict) -> str:
    """What goes under a port line: output plugins' text, then each plugin's stored data."""
    lines = [text] if text else []
    for name, values in plugins.items():
        lines.append(f"{escape(name)}:")
        lines.extend("  " + line for line in text_lines(values))
    return "\n".join(lines)


class NormalOutput(Output):
    name = "normal"

    def begin(self, report: Report) -> None:
        if not self.interactive:
            self.write(f"# prtip {report.version} scan initiated {nmap_time(report.start)} as: "
                       f"{escape(report.config.args)}\n")
            return
        stamp = time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(report.start))
        self.write(f"Starting prtip {report.version} at {stamp}\n")

    def host_done(self, report: Report, host: HostReport) -> None:
        cfg = report.config
        if not host.status.up:
            if cfg.verbosity:
                self.write(f"prtip scan report for {host_label(host)} [host down]\n")
            return
        out = [f"prtip scan report for {host_label(host)}"]
        lat = host.status.latency
        received = f", received {host.status.reason}" if cfg.show_reason and host.status.reason else ""
        latency = f" ({sig_digits(lat)}s latency)" if lat is not None else ""
        out.append(f"Host is up{received}{latency}.")
        if host.status.mac:
            out.append(f"MAC Address: {host.status.mac.upper()}")
        if host.timed_out:
            out.append(f"Skipping host {host.target.address} due to host timeout")
        ignored = host.ignored_states(cfg.verbosity, cfg.open_only)
        shown = host.listed(ignored)
        results = host.results
        summary = host.ignored_summary(ignored)
        if summary:
            parts = [f"{_plural(n, f'{state} {proto} port')} ({why})" for state, proto, why, n in summary]
            if not shown and results:
                out.append(f"All {len(results)} scanned ports on {host_label(host)} are in ignored states.")
            out.append("Not shown: " + ", ".join(parts))
        # "name?" says -sV tried and failed; after Ctrl-C a port may never have been tried
        guessed = cfg.version_detection and not host.interrupted
        if shown:
            # a VERSION column with -sV, or when a detection plugin identified something
            with_version = cfg.version_detection or any(version_text(r) for r in shown)
            head = ["PORT", "STATE", "SERVICE"] + (["REASON"] if cfg.show_reason else []) + (
                ["VERSION"] if with_version else [])
            rows = [head]
            extra: dict[int, list[str]] = {}
            for r in shown:
                row = [f"{r.port}/{r.protocol}", r.state, escape(service_column(r, guessed))]
                if cfg.show_reason:
                    row.append(r.reason)
                if with_version:
                    row.append(escape(version_text(r)))
                rows.append(row)
                text = port_extra(r.plugin_text, r.plugins)
                if text:
                    extra[len(rows) - 1] = plugin_lines(text)
            for i, line in enumerate(table(rows)):
                out.append(line)
                out.extend(extra.get(i, []))
        if host.interrupted and cfg.version_detection:
            out.append("Service detection was interrupted: names without a version are the port table's.")
        os_hints = sorted({r.service.os_type for r in results.values() if r.service and r.service.os_type})
        if os_hints:
            out.append("Service Info: OS: " + ", ".join(escape(h) for h in os_hints))
        self.write("\n".join(out) + "\n\n")

    def end(self, report: Report) -> None:
        if report.post_scan:  # as NSE's "Post-scan script results:"
            lines = []
            for name, text in report.post_scan:
                lines.append(f"{escape(name)}:")
                lines.extend("  " + line for line in escape_lines(text.rstrip("\n")))
            self.write("Post-scan plugin results:\n" + "\n".join(plugin_lines("\n".join(lines))) + "\n")
        if report.interrupted:
            self.write("Scan interrupted (SIGINT): results above are those found so far.\n")
        if report.config.version_detection and report.hosts_up:
            self.write("Service detection performed by prtip.\n")
        if report.total_targets and not report.hosts_up and not report.config.skip_discovery:
            self.write("Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn\n")
        if self.interactive:
            self.write(f"prtip done: {report.summary()}\n")
        else:
            self.write(f"# prtip done at {nmap_time(report.end or report.start)} -- {report.summary()}\n")
        self.close()
