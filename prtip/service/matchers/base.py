"""What every matcher is: a pure function from one exchange's bytes to a ServiceInfo or None.

A matcher must report only what the bytes show: a version is always a substring of the bytes it
read (the golden and property tests check this), and a field it cannot prove stays None. Matchers
never raise on hostile input: they index defensively and catch their own parse errors.
"""

from __future__ import annotations

import re
from typing import Callable

from prtip.model import METHOD_PROBE, ServiceInfo
from prtip.service.records import Exchange

Matcher = Callable[[Exchange], "ServiceInfo | None"]

# Confidence by what the bytes proved (0..1).
PRODUCT_AND_VERSION = 0.95
PRODUCT_ONLY = 0.9
SERVICE_ONLY = 0.8
WEAK = 0.6  # another protocol's error reply that only this service sends


def found(name: str, product: str | None = None, version: str | None = None,
          info: str | None = None, os_type: str | None = None,
          confidence: float | None = None) -> ServiceInfo:
    """A probe-based answer; confidence follows from how much was proved unless given."""
    if confidence is None:
        confidence = (PRODUCT_AND_VERSION if version else
                      PRODUCT_ONLY if product else SERVICE_ONLY)
    return ServiceInfo(name=name, product=product, version=version or None, info=info or None,
                       os_type=os_type, confidence=confidence, method=METHOD_PROBE)


def text(data: bytes) -> str:
    """Bytes as text for display fields: latin-1 never fails and keeps every byte."""
    return data.decode("latin-1")


_OS_WORDS = (
    (re.compile(rb"debian|ubuntu|raspbian|red ?hat|centos|fedora|rocky|alma|suse|alpine|linux"
                rb"|[+~]deb\d+u\d", re.I),
     "Linux"),
    (re.compile(rb"freebsd", re.I), "FreeBSD"),
    (re.compile(rb"openbsd", re.I), "OpenBSD"),
    (re.compile(rb"netbsd", re.I), "NetBSD"),
    (re.compile(rb"win32|win64|windows|microsoft", re.I), "Windows"),
)


def os_hint(data: bytes) -> str | None:
    """The operating system a banner names (a distribution name implies Linux)."""
    for pattern, name in _OS_WORDS:
        if pattern.search(data):
            return name
    return None
