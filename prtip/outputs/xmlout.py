"""nmap XML output (-oX): the elements and attributes of nmap's DTD, so nmap-XML tools read it.

The document follows nmap.dtd (nmaprun, scaninfo, verbose, debugging, host with status /
address / hostnames / ports / extraports / port / state / service, runstats with finished and
hosts). It is written whole at the end of the scan, interrupted or not.

Well-formed whatever the bytes: every attribute and text is passed through ``xml_safe`` in
one walk over the finished tree (so no field can be forgotten), which escapes what XML 1.0
forbids as ``\\xNN``, as nmap does for banners (textsafe.escape's spelling; markup
characters are left to ElementTree). Plugin data is written as NSE writes
structured script output (pluginvalues.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from prtip.outputs.base import Output, known_service, nmap_time, port_ranges, service_column
from prtip.outputs.pluginvalues import script_element
from prtip.model import PortResult
from prtip.report import HostReport, Report


def _method(method: str | None) -> str:
    return method if method in ("table", "probed") else "probed"


class XmlOutput(Output):
    name = "xml"

    def end(self, report: Report) -> None:
        cfg = report.config
        root = ET.Element("nmaprun", {
            "scanner": "prtip", "args": cfg.args, "start": str(int(report.start)),
            "startstr": nmap_time(report.start), "version": report.version,
            "xmloutputversion": "1.05",
        })
        for scan_type in cfg.scan_type_names:
            proto = "udp" if scan_type == "udp" else "tcp"
            ports = list(report.ports.of(proto))
            ET.SubElement(root, "scaninfo", {"type": scan_type, "protocol": proto,
                                             "numservices": str(len(ports)),
                                             "services": port_ranges(ports)})
        ET.SubElement(root, "verbose", {"level": str(cfg.verbosity)})
        ET.SubElement(root, "debugging", {"level": "0"})
        for host in report.hosts.values():
            if host.status.up or cfg.verbosity:
                root.append(self._host(report, host))
        if report.post_scan:  # nmap.dtd's <postscript>, where NSE's post-rule output goes
            post = ET.SubElement(root, "postscript")
            for name, text in report.post_scan:
                ET.SubElement(post, "script", {"id": name, "output": text})
        runstats = ET.SubElement(root, "runstats")
        end = report.end or report.start
        finished = {"time": str(int(end)), "timestr": nmap_time(end),
                    "summary": f"prtip done at {nmap_time(end)}; {report.summary()}",
                    "elapsed": f"{report.elapsed:.2f}", "exit": "error" if report.interrupted else "success"}
        if report.interrupted:
            finished["errormsg"] = "Interrupted by user (SIGINT)"
        ET.SubElement(runstats, "finished", finished)
        up = report.hosts_up
        ET.SubElement(runstats, "hosts", {"up": str(up), "down": str(report.total_targets - up),
                                          "total": str(report.total_targets)})
        _make_safe(root)
        ET.indent(root, space="")
        body = ET.tostring(root, encoding="unicode")
        self.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n' + body + "\n")
        self.close()

    def _host(self, report: Report, host: HostReport) -> ET.Element:
        cfg = report.config
        el = ET.Element("host", {"starttime": str(int(host.start)), "endtime": str(int(host.end or host.start))})
        ET.SubElement(el, "status", {"state": "up" if host.status.up else "down",
                                     "reason": host.status.reason, "reason_ttl": "0"})
        t = host.target
        ET.SubElement(el, "address", {"addr": t.address, "addrtype": "ipv6" if t.is_ipv6 else "ipv4"})
        if host.status.mac:  # as nmap: the MAC that ARP found, upper case
            ET.SubElement(el, "address", {"addr": host.status.mac.upper(), "addrtype": "mac"})
        names = ET.SubElement(el, "hostnames")
        if t.hostname:
            ET.SubElement(names, "hostname", {"name": t.hostname, "type": "PTR"})
        if not host.status.up:
            return el
        ports_el = ET.SubElement(el, "ports")
        ignored = host.ignored_states(cfg.verbosity, cfg.open_only)
        by_state: dict[str, list[tuple[str, str, int]]] = {}
        for state, proto, why, n in host.ignored_summary(ignored):
            by_state.setdefault(state, []).append((proto, why, n))
        for state, entries in by_state.items():
            extra = ET.SubElement(ports_el, "extraports", {"state": state, "count": str(sum(n for *_, n in entries))})
            for proto, why, n in entries:
                numbers = [r.port for r in host.results.values()
                           if r.state == state and r.protocol == proto and r.reason == why]
                ET.SubElement(extra, "extrareasons", {"reason": why, "count": str(n), "proto": proto,
                                                      "ports": port_ranges(numbers)})
        for r in host.listed(ignored):
            port_el = ET.SubElement(ports_el, "port", {"protocol": r.protocol, "portid": str(r.port)})
            ET.SubElement(port_el, "state", {"state": r.state, "reason": r.reason, "reason_ttl": "0"})
            if known_service(r):  # nmap writes no <service> for a port it cannot name
                port_el.append(_service(r))
            for name, data in r.plugins.items():
                script_element(port_el, name, data)
        ET.SubElement(el, "times", {"srtt": "0", "rttvar": "0", "to": "100000"})
        return el


def _service(r: PortResult) -> ET.Element:
    """<service>: the detected service, or the port table's name (method="table")."""
    svc = r.service
    attrs = {"name": service_column(r, False).rstrip("?").split("/")[-1]}
    if svc is not None:
        if svc.tunnel:
            attrs["tunnel"] = svc.tunnel
        for key, value in (("product", svc.product), ("version", svc.version),
                           ("extrainfo", svc.info), ("ostype", svc.os_type)):
            if value:
                attrs[key] = value
        attrs["method"] = _method(svc.method)
        attrs["conf"] = str(max(0, min(10, round((svc.confidence or 0) * 10))))
    else:
        attrs.update(method="table", conf="3")
    return ET.Element("service", attrs)


# the complement of XML 1.0's Char production (TAB, LF and CR are allowed; lone surrogates are
# what surrogateescape makes of bytes that are not UTF-8)
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids escaped, so any bytes give well-formed XML."""
    return _XML_UNSAFE.sub(_xml_escape, text)


def _make_safe(root: ET.Element) -> None:
    """Every attribute value and text of the tree made XML 1.0-safe (see the module docstring)."""
    for el in root.iter():
        for key, value in el.attrib.items():
            el.attrib[key] = xml_safe(value)
        if el.text:
            el.text = xml_safe(el.text)
