"""prtip.service: service and version detection (-sV) by banner grabbing and built-in matchers.

The scanner calls `detect_services`; `grab_banner` (network) and `identify` (pure) are its two
halves, kept apart so captured bytes can be replayed without servers (tests/data/banners/).
"""

from prtip.service.detect import detect_services
from prtip.service.grabber import grab_banner
from prtip.service.identify import identify
from prtip.service.records import (METHOD_BANNER, METHOD_PORT, METHOD_PROBE, BannerCapture,
                                   Exchange, ServiceInfo, TlsSession, capture_from_json,
                                   capture_to_json)

__all__ = [
    "METHOD_BANNER", "METHOD_PORT", "METHOD_PROBE", "BannerCapture", "Exchange", "ServiceInfo",
    "TlsSession", "capture_from_json", "capture_to_json", "detect_services", "grab_banner",
    "identify",
]
