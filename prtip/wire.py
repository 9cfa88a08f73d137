"""Scan data as JSON-able dicts and back, losslessly: for the --resume journal and the results
cluster workers stream back to the client.

Banners are bytes (not UTF-8 in general) and plugin values may be bytes too: both travel as
``{"b64": ...}``. Decoding gives back equal frozen dataclasses (``decode(encode(x)) == x``).
"""

from __future__ import annotations

import base64
from typing import Any

from prtip.model import HostStatus, PortResult, ServiceInfo, Target


def _value(v: Any) -> Any:
    if isinstance(v, (bytes, bytearray)):
        return {"b64": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, dict):
        return {"map": [[_value(k), _value(x)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return {"list": [_value(x) for x in v]}
    return v


def _unvalue(v: Any) -> Any:
    if isinstance(v, dict):
        if "b64" in v:
            return base64.b64decode(v["b64"])
        if "map" in v:
            return {_unvalue(k): _unvalue(x) for k, x in v["map"]}
        if "list" in v:
            return [_unvalue(x) for x in v["list"]]
    return v


def encode_status(status: HostStatus) -> dict[str, Any]:
    t = status.target
    return {"address": t.address, "hostname": t.hostname, "up": status.up, "reason": status.reason,
            "latency": status.latency, "mac": status.mac, "unreachable": status.unreachable}


def decode_status(d: dict[str, Any]) -> HostStatus:
    return HostStatus(Target(d["address"], d["hostname"]), d["up"], d["reason"], d["latency"], d["mac"],
                      d["unreachable"])


def encode_result(r: PortResult) -> dict[str, Any]:
    s = r.service
    return {
        "host": r.host, "port": r.port, "protocol": r.protocol, "state": r.state, "reason": r.reason,
        "service": None if s is None else [s.name, s.product, s.version, s.info, s.os_type, s.confidence,
                                           s.method, s.tunnel],
        "banner": _value(r.banner) if r.banner is not None else None,
        "plugins": {name: _value(dict(values)) for name, values in r.plugins.items()},
        "plugin_text": r.plugin_text,
    }


def decode_result(d: dict[str, Any]) -> PortResult:
    s = d["service"]
    return PortResult(d["host"], d["port"], d["protocol"], d["state"], d["reason"],
                      service=ServiceInfo(*s) if s is not None else None,
                      banner=_unvalue(d["banner"]) if d["banner"] is not None else None,
                      plugins={name: _unvalue(v) for name, v in d["plugins"].items()},
                      plugin_text=d.get("plugin_text"))
