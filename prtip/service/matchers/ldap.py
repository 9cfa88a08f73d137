"""LDAP: the answer to an anonymous rootDSE search (RFC 4511, RFC 4512 section 5.1).

vendorName/vendorVersion (RFC 3045) name the product when the server publishes them; OpenLDAP
does not, but its root DSE has the object class OpenLDAProotDSE, which only OpenLDAP uses.
Without either, the answer proves an LDAP server and nothing more.
"""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service import ber
from prtip.service.matchers.base import found, text
from prtip.service.records import Exchange

_RESPONSE_OPS = {0x61, 0x64, 0x65, 0x67, 0x69, 0x6B, 0x6D, 0x6F, 0x73, 0x78}


def _attributes(entry: ber.Element) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    parts = entry.children()
    if len(parts) < 2:
        return out
    for attribute in parts[1].children():
        fields = attribute.children()
        if len(fields) == 2:
            out[text(fields[0].value).lower()] = [v.value for v in fields[1].children()]
    return out


def match(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if not data.startswith(b"\x30"):
        return None
    attributes: dict[str, list[bytes]] = {}
    seen = False
    try:
        for message in ber.decode_prefix(data):
            parts = message.children()
            if message.tag != 0x30 or len(parts) < 2 or parts[0].tag != 0x02:
                return None
            if parts[1].tag not in _RESPONSE_OPS:
                return None
            seen = True
            if parts[1].tag == 0x64:
                attributes.update(_attributes(parts[1]))
    except ber.BerError:
        if not seen:
            return None
    if not seen:
        return None
    vendor = attributes.get("vendorname")
    if vendor and vendor[0].strip():
        raw_version = (attributes.get("vendorversion") or [b""])[0]
        version = re.search(rb"\d+(?:\.\d+)+", raw_version)
        return found("ldap", text(vendor[0]).strip(), text(version.group(0)) if version else None,
                     text(raw_version) if raw_version else None)
    classes = {c.lower() for c in attributes.get("objectclass", []) +
               attributes.get("structuralobjectclass", [])}
    if b"openldaprootdse" in classes:
        return found("ldap", "OpenLDAP")
    return found("ldap")
