"""FTP: the 220 greeting (RFC 959), which many servers sign with product and version."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import SERVICE_ONLY, WEAK, found, os_hint, text
from prtip.service.records import Exchange

# (pattern, product); group "v" is the version when the greeting shows one
_PRODUCTS = (
    (re.compile(rb"^220[ -]\(vsFTPd (?P<v>[\d.]+\w*)\)"), "vsftpd"),
    (re.compile(rb"^220[ -]ProFTPD (?P<v>\d[\w.]*) Server"), "ProFTPD"),
    (re.compile(rb"^220[ -]ProFTPD Server"), "ProFTPD"),
    (re.compile(rb"^220[ -]-* ?Welcome to Pure-FTPd"), "Pure-FTPd"),
    (re.compile(rb"^220[ -]FileZilla Server (?:version )?(?P<v>\d[\w.]*)"), "FileZilla ftpd"),
    (re.compile(rb"^220[ -]Microsoft FTP Service"), "Microsoft ftpd"),
    (re.compile(rb"^220[ -].*\(Version (?P<v>[\d.]+)\).*FTP", re.M), None),
)
_GREETING = re.compile(rb"^220[ -][^\r\n]*(?:FTP|ftp)", re.M)
_SMTP_WORDS = re.compile(rb"SMTP|Postfix|Exim|Sendmail", re.I)


def match(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if not data.startswith(b"220") or _SMTP_WORDS.search(data[:200]):
        return None
    for pattern, product in _PRODUCTS:
        m = pattern.match(data)
        if m and product:
            version = text(m.group("v")) if "v" in pattern.groupindex and m.group("v") else None
            return found("ftp", product, version, None, os_hint(data.split(b"\n", 1)[0]))
    if _GREETING.match(data):
        return found("ftp", confidence=SERVICE_ONLY)
    if exchange.probe == "null" and re.match(rb"^220[ -][^\r\n]*\r?\n", data):
        return found("ftp", confidence=WEAK)  # a bare 220 greeting: FTP or SMTP, port decides
    return None
