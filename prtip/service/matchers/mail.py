"""Mail services: SMTP (RFC 5321) 220 greetings and EHLO replies, POP3 (+OK) and IMAP (* OK)."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import SERVICE_ONLY, WEAK, found, os_hint, text
from prtip.service.records import Exchange

# ---- SMTP -----------------------------------------------------------------------------------

_SMTP = (
    (re.compile(rb"^220[ -]\S+ E?SMTP Postfix"), "Postfix smtpd"),
    (re.compile(rb"^220[ -]\S+ E?SMTP Exim (?P<v>\d[\w.]*)"), "Exim smtpd"),
    (re.compile(rb"^220[ -]\S+ E?SMTP Sendmail (?P<v>\d[\d.]*\w*)(?:/(?P<i>[^;\s]*))?"), "Sendmail"),
    (re.compile(rb"^220[ -]\S+ E?SMTP OpenSMTPD"), "OpenSMTPD"),
    (re.compile(rb"^220[ -]\S+ Microsoft ESMTP MAIL Service, Version: (?P<v>[\d.]+)"),
     "Microsoft ESMTP"),
    (re.compile(rb"^220[ -]\S+ E?SMTP Haraka(?:/(?P<v>[\d.]+))?"), "Haraka smtpd"),
)
_SMTP_GREETING = re.compile(rb"^220[ -][^\r\n]*\bE?SMTP\b", re.M)
_EHLO_REPLY = re.compile(rb"^250[ -]", re.M)


def smtp(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if exchange.probe == "smtp-ehlo":
        return found("smtp", confidence=SERVICE_ONLY) if _EHLO_REPLY.match(data) else None
    if not data.startswith(b"220"):
        return None
    first = data.split(b"\n", 1)[0]
    for pattern, product in _SMTP:
        m = pattern.match(data)
        if m:
            groups = pattern.groupindex
            version = text(m.group("v")) if "v" in groups and m.group("v") else None
            info = text(m.group("i")) if "i" in groups and m.group("i") else None
            if info and version and info.startswith(version + "/"):  # "8.17.1.9/Debian-2"
                info = info[len(version) + 1:]
            return found("smtp", product, version, info, os_hint(first))
    if _SMTP_GREETING.match(data):
        return found("smtp")
    return None


# ---- POP3 -----------------------------------------------------------------------------------

_POP3 = (
    (re.compile(rb"^\+OK Dovecot(?: \((?P<os>[^)]*)\))? ready"), "Dovecot pop3d"),
    (re.compile(rb"^\+OK .*Cyrus POP3 v?(?P<v>\d[\w.-]*)"), "Cyrus pop3d"),
    (re.compile(rb"^\+OK .*Qpopper \(version (?P<v>[\d.]+)\)"), "Qpopper pop3d"),
    (re.compile(rb"^\+OK Hello there"), "Courier pop3d"),
)


def pop3(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if not data.startswith(b"+OK"):
        return None
    first = data.split(b"\n", 1)[0]
    for pattern, product in _POP3:
        m = pattern.match(data)
        if m:
            version = text(m.group("v")) if "v" in pattern.groupindex and m.group("v") else None
            return found("pop3", product, version, None, os_hint(first))
    if exchange.probe == "null" and first.endswith(b"\r"):
        return found("pop3", confidence=WEAK if b"POP" not in first.upper() else SERVICE_ONLY)
    return None


# ---- IMAP -----------------------------------------------------------------------------------

_IMAP = (
    (re.compile(rb"^\* OK (?:\[[^\]]*\] )?Dovecot(?: \((?P<os>[^)]*)\))? ready"), "Dovecot imapd"),
    (re.compile(rb"^\* OK .*Cyrus IMAP v?(?P<v>\d[\w.-]*)"), "Cyrus imapd"),
    (re.compile(rb"^\* OK (?:\[[^\]]*\] )?Courier-IMAP"), "Courier Imapd"),
    (re.compile(rb"^\* OK .*Microsoft Exchange"), "Microsoft Exchange imapd"),
)


def imap(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if not data.startswith((b"* OK", b"* PREAUTH", b"* BYE")):
        return None
    first = data.split(b"\n", 1)[0]
    for pattern, product in _IMAP:
        m = pattern.match(data)
        if m:
            version = text(m.group("v")) if "v" in pattern.groupindex and m.group("v") else None
            return found("imap", product, version, None, os_hint(first))
    if b"IMAP" in first.upper():
        return found("imap")
    return None
