"""prtip.service: service and version detection (-sV) by banner grabbing and built-in matchers.

The pipeline calls `detect_results` (a host's open ports in, the same results with service and
banner out); `grab_banner` (network) and `identify` (pure) are its two halves, kept apart so
captured bytes can be replayed without servers (tests/data/banners/). What a service is
(`ServiceInfo`, METHOD_*) is scan data, defined in prtip.model and re-exported here.
"""

from prtip.model import METHOD_BANNER, METHOD_PORT, METHOD_PROBE, ServiceInfo
from prtip.service.detect import detect_results, detect_services
from prtip.service.grabber import grab_banner
from prtip.service.identify import identify
from prtip.service.records import (BannerCapture, Exchange, TlsSession, capture_from_json,
                                   capture_to_json)

__all__ = [
    "METHOD_BANNER", "METHOD_PORT", "METHOD_PROBE", "BannerCapture", "Exchange", "ServiceInfo",
    "TlsSession", "capture_from_json", "capture_to_json", "detect_results", "detect_services",
    "grab_banner", "identify",
]
