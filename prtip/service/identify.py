"""identify: captured bytes → the service that sent them (a pure function, no network).

Every exchange's answer goes through every matcher; the best answer wins by confidence, then by
how much it proves (a version, a product), then by agreeing with the port's usual service. When
nothing matches, the answer says so: a guess from the port number has method "port" and a low
confidence, a connection closed before any byte is nmap's "tcpwrapped".
"""

from __future__ import annotations

from dataclasses import replace

from prtip.model import METHOD_PORT, METHOD_PROBE, ServiceInfo
from prtip.ports import service_name
from prtip.service.matchers import MATCHERS
from prtip.service.probes import NULL
from prtip.service.records import BannerCapture

# nmap's port table names TLS ports after the tunnelled service; inside the tunnel it is this
_INSIDE_TLS = {"https": "http", "imaps": "imap", "pop3s": "pop3", "smtps": "smtp", "ldapssl": "ldap",
               "ftps": "ftp", "ftps-data": "ftp", "nntps": "nntp", "ircs-u": "irc", "ircs": "irc",
               "secure-mqtt": "mqtt", "domain-s": "domain"}

PORT_GUESS = 0.3        # nothing answered: only the port number speaks
UNRECOGNIZED = 0.2      # something answered, but nothing we know


def port_name(port: int, protocol: str = "tcp") -> str | None:
    """nmap's name for the port (the scanner's table), None when it has none."""
    name = service_name(port, protocol)
    return None if name == "unknown" else name


def identify(port: int, capture: BannerCapture) -> ServiceInfo | None:
    """The service `capture` proves runs on `port`, or the port's usual one marked as a guess."""
    usual = port_name(port, capture.protocol)
    best: ServiceInfo | None = None
    best_key: tuple = ()
    for exchange in capture.exchanges:
        if not exchange.received:
            continue
        for order, (_name, matcher) in enumerate(MATCHERS):
            info = matcher(exchange)
            if info is None:
                continue
            if exchange.tls:
                info = replace(info, tunnel="ssl")
            # inside TLS beats plain text at equal confidence: a TLS port's plain-text answer
            # is an error page about the missing TLS
            key = (info.confidence, exchange.tls, info.version is not None, info.product is not None,
                   info.name == usual or info.name == _INSIDE_TLS.get(usual or ""), -order)
            if best is None or key > best_key:
                best, best_key = info, key
    if best is not None:
        return best
    return _unrecognized(usual, capture)


def _unrecognized(usual: str | None, capture: BannerCapture) -> ServiceInfo | None:
    if not capture.exchanges:
        return None  # never connected: nothing to say
    answered = any(e.received for e in capture.exchanges)
    if capture.tls is not None:
        name = _INSIDE_TLS.get(usual or "") or "unknown"
        return ServiceInfo(name, None, None, None, None, PORT_GUESS, METHOD_PORT,
                           tunnel="ssl")
    first = capture.exchanges[0]
    if first.probe == NULL and first.closed and not answered:
        # closed before saying or hearing anything: a TCP wrapper refused us (nmap's word)
        return ServiceInfo("tcpwrapped", None, None, None, None, 0.5, METHOD_PROBE)
    if usual is None:
        return None
    return ServiceInfo(usual, None, None, None, None,
                       UNRECOGNIZED if answered else PORT_GUESS, METHOD_PORT)
