"""HTTP: the status line and the Server header of the answer to GET / (also inside TLS)."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import SERVICE_ONLY, found, os_hint, text
from prtip.service.records import Exchange

_STATUS = re.compile(rb"^HTTP/\d\.\d \d{3}")
_SERVER = re.compile(rb"^Server:[ \t]*([^\r\n]*)", re.M | re.I)

# Server header's first token name → product as nmap names it
_PRODUCTS = {"apache": "Apache httpd", "nginx": "nginx", "lighttpd": "lighttpd",
             "microsoft-iis": "Microsoft IIS httpd", "openresty": "OpenResty web app server",
             "caddy": "Caddy httpd", "litespeed": "LiteSpeed httpd", "tengine": "Tengine httpd",
             "gunicorn": "Gunicorn", "uvicorn": "Uvicorn", "jetty": "Jetty",
             "mini_httpd": "mini_httpd", "thttpd": "thttpd", "boa": "Boa HTTPd",
             "cherokee": "Cherokee httpd", "h2o": "h2o", "envoy": "envoy",
             "werkzeug": "Werkzeug httpd", "tornadoserver": "Tornado httpd",
             "cowboy": "Cowboy httpd", "kestrel": "Kestrel httpd"}
_TOKEN = re.compile(r"^([A-Za-z][\w.-]*?)(?:/([0-9][\w.+~-]*))?(?:\s+(.*))?$")
_IIS_OS = {"Microsoft IIS httpd": "Windows"}


def match(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if not _STATUS.match(data):
        return None
    head = data.split(b"\r\n\r\n", 1)[0]
    server = _SERVER.search(head)
    if not server or not server.group(1).strip():
        return found("http", confidence=SERVICE_ONLY)
    raw = server.group(1).strip()
    m = _TOKEN.match(text(raw))
    if not m:
        return found("http", info=None, confidence=SERVICE_ONLY)
    name, version, rest = m.group(1), m.group(2), m.group(3)
    product = _PRODUCTS.get(name.lower(), name)
    if rest:  # "(Debian)" and module lists: keep only the leading parenthesised comment
        comment = re.match(r"^\(([^)]*)\)", rest)
        rest = f"({comment.group(1)})" if comment else None
    os_type = _IIS_OS.get(product) or (os_hint(raw) if rest else None)
    return found("http", product, version, rest, os_type)
