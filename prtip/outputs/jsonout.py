"""JSON output (-oJ): prtip's own document, described field by field in docs/OUTPUT.md."""

from __future__ import annotations

import json
import json.encoder
from dataclasses import replace
from typing import Any

from prtip.model import PortResult
from prtip.outputs.base import Output
from prtip.report import HostReport, Report


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    import datetime
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat(timespec="milliseconds")


def banner_text(banner: bytes | None) -> str | None:
    """Banners are bytes; JSON gets them decoded as Latin-1 so every byte survives one-to-one."""
    return None if banner is None else banner.decode("latin-1")


def port_document(r: PortResult) -> dict[str, Any]:
    svc = r.service
    return {
        "port": r.port,
        "protocol": r.protocol,
        "state": r.state,
        "reason": r.reason,
        "service": None if svc is None else {
            "name": svc.name, "product": svc.product, "version": svc.version, "info": svc.info,
            "os_type": svc.os_type, "confidence": svc.confidence, "method": svc.method,
            "tunnel": svc.tunnel,
        },
        "banner": banner_text(r.banner),
        "plugins": {name: dict(data) for name, data in r.plugins.items()},
    }


class RenderedPorts(list):
    """A host's ports, each already written as compact JSON text (render copies them)."""


_PLAIN_TAILS: dict[tuple[str, str, str], str] = {}


def port_json(r: PortResult) -> str:
    """``_compact(port_document(r))``, quicker for the bare results that make up most of a big
    scan (no service, banner or plugin data): one text per (protocol, state, reason), the
    port number put in front."""
    if r.service is None and r.banner is None and not r.plugins:
        key = (r.protocol, r.state, r.reason)
        tail = _PLAIN_TAILS.get(key)
        if tail is None:
            text = _compact(port_document(replace(r, port=0)))
            assert text.startswith('{"port": 0, ')
            tail = _PLAIN_TAILS[key] = text[len('{"port": 0'):]
        return f'{{"port": {r.port}{tail}'
    return _compact(port_document(r))


def host_document(host: HostReport, rendered: bool = False) -> dict[str, Any]:
    """The host's object; ``rendered``: its ports already as JSON text (RenderedPorts)."""
    return {
        "address": host.target.address,
        "hostname": host.target.hostname,
        "mac": host.status.mac.upper() if host.status.mac else None,
        "status": "up" if host.status.up else "down",
        "ports": (RenderedPorts(map(port_json, host.ports())) if rendered
                  else [port_document(r) for r in host.ports()]),
    }


def document(report: Report, rendered: bool = False) -> dict[str, Any]:
    """The -oJ document; ``rendered``: each port already as its JSON text, for ``render``."""
    cfg = report.config
    return {
        "prtip_version": report.version,
        "scan": {"type": cfg.scan_type_names, "args": cfg.args, "start": _iso(report.start),
                 "end": _iso(report.end)},
        "hosts": [host_document(h, rendered) for h in report.hosts.values()],
        "post_scan": [{"plugin": name, "output": text} for name, text in report.post_scan],
        "stats": report.stats(),
        "errors": list(report.errors),
    }


# json.dumps(value, default=str) without its per-call set-up (a -p- scan of four hosts is
# 262,140 port lines): the C encoder json.dumps itself uses, made once. No cycle check: the
# document is a tree (plugin values come from Lua through from_lua, which refuses cycles).
_ENCODE = (json.encoder.c_make_encoder(None, str, json.encoder.encode_basestring_ascii, None, ": ", ", ",
                                       False, False, True)
           if json.encoder.c_make_encoder is not None else None)


def _compact(value: Any) -> str:
    """``json.dumps(value, default=str)``, to the letter. Never with indent: that sends every
    value through json's Python encoder (most of a big scan's time went there)."""
    if _ENCODE is None:
        return json.dumps(value, default=str)
    return "".join(_ENCODE(value, 0))


def render(doc: dict[str, Any]) -> str:
    """The document as docs/OUTPUT.md shows it: a key per line, a host per block, a port per
    line; each port (and every other value) on its line as compact JSON."""
    lines = ["{"]
    keys = list(doc)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        if key == "hosts" and doc[key]:
            lines.append('  "hosts": [')
            hosts = doc[key]
            for h, host in enumerate(hosts):
                end = "," if h < len(hosts) - 1 else ""
                if not isinstance(host, dict) or not isinstance(host.get("ports"), list):
                    lines.append(f"    {_compact(host)}{end}")
                    continue
                head = {k: v for k, v in host.items() if k != "ports"}
                ports = host["ports"]
                text = _compact(head)[:-1] + (", " if head else "")  # the object, left open
                if ports:
                    lines.append(f'    {text}"ports": [')
                    if type(ports) is not RenderedPorts:
                        ports = list(map(_compact, ports))
                    lines.extend(f"      {port}," for port in ports[:-1])
                    lines.append(f"      {ports[-1]}")
                    lines.append(f"    ]}}{end}")
                else:
                    lines.append(f'    {text}"ports": []}}{end}')
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {_compact(key)}: {_compact(doc[key])}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


class JsonOutput(Output):
    name = "json"

    def end(self, report: Report) -> None:
        self.write(render(document(report, rendered=True)))
        self.close()
