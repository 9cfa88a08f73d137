"""SSH: the identification string every server sends first (RFC 4253 section 4.2)."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import PRODUCT_AND_VERSION, found, os_hint, text
from prtip.service.records import Exchange

_IDENT = re.compile(rb"^SSH-(\d+\.\d+)-([!-~]+)(?: ([^\r\n]*))?\r?\n", re.M)
_DEBIAN_LIKE = re.compile(rb"^(Debian|Ubuntu|Raspbian)-(\S+)")

# software-version token prefix → product as nmap names it
_PRODUCTS = {"OpenSSH": "OpenSSH", "dropbear": "Dropbear sshd", "libssh": "libssh",
             "Cisco": "Cisco SSH", "ROSSSH": "MikroTik RouterOS sshd", "AsyncSSH": "AsyncSSH"}


def match(exchange: Exchange) -> ServiceInfo | None:
    m = _IDENT.search(exchange.received)
    if not m or m.start() > 256:
        return None
    protocol, software, comment = m.group(1), text(m.group(2)), m.group(3) or b""
    head, sep, version = software.partition("_")
    product = _PRODUCTS.get(head)
    if product is None:
        if not sep or not re.match(r"\d", version):
            return found("ssh", info=f"protocol {text(protocol)}")
        product = head
    if not re.match(r"^[\w.+-]+$", version):
        version = ""
    info = None
    debian = _DEBIAN_LIKE.match(comment)
    if debian:  # nmap writes "Debian-2+deb12u3" as "Debian 2+deb12u3"
        info = f"{text(debian.group(1))} {text(debian.group(2))}"
    elif comment:
        info = text(comment)
    if protocol != b"2.0":
        info = f"{info}; protocol {text(protocol)}" if info else f"protocol {text(protocol)}"
    return found("ssh", product, version, info, os_hint(comment),
                 confidence=PRODUCT_AND_VERSION if version else None)
