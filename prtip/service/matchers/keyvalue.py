"""Key-value stores: Redis (RESP replies to PING and INFO server) and Memcached (`version`)."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import WEAK, found, os_hint, text
from prtip.service.records import Exchange

REDIS = "Redis key-value store"
_REDIS_VERSION = re.compile(rb"\r\nredis_version:([\d.]+)\r\n")
_REDIS_OS = re.compile(rb"\r\nos:([^\r\n]+)\r\n")
_REDIS_MODE = re.compile(rb"\r\nredis_mode:(\w+)\r\n")
# replies only Redis gives: to our PING, and to HTTP lines parsed as Redis commands
_REDIS_ERRORS = re.compile(rb"^-(?:NOAUTH Authentication required|DENIED Redis is running"
                           rb"|ERR wrong number of arguments for 'get' command"
                           rb"|ERR unknown command [`'])")


def redis(exchange: Exchange) -> ServiceInfo | None:
    data = exchange.received
    if exchange.probe == "redis":
        m = _REDIS_VERSION.search(data)
        if m and data.startswith(b"+PONG\r\n"):
            os_line = _REDIS_OS.search(data)
            mode = _REDIS_MODE.search(data)
            return found("redis", REDIS, text(m.group(1)),
                         f"{text(mode.group(1))} mode" if mode else None,
                         os_hint(os_line.group(1)) if os_line else None)
        if data.startswith(b"+PONG\r\n") or _REDIS_ERRORS.match(data):
            return found("redis", REDIS)
        return None
    if _REDIS_ERRORS.match(data):
        return found("redis", REDIS, confidence=WEAK)
    return None


_MEMCACHED_VERSION = re.compile(rb"^VERSION (\d+\.\d+\.\d+[\w.-]*)\r\n")


def memcached(exchange: Exchange) -> ServiceInfo | None:
    if exchange.probe != "memcached":
        return None
    m = _MEMCACHED_VERSION.match(exchange.received)
    return found("memcached", "Memcached", text(m.group(1))) if m else None
