"""MQTT: CONNACK to our CONNECT, and the broker's $SYS/broker/version message when it sends one."""

from __future__ import annotations

import re

from prtip.model import ServiceInfo
from prtip.service.matchers.base import SERVICE_ONLY, found, text
from prtip.service.probes import MQTT_VERSION_TOPIC
from prtip.service.records import Exchange

_BROKERS = ((re.compile(rb"^mosquitto version (\d[\w.]*)"), "Mosquitto"),)


def _packets(data: bytes) -> list[tuple[int, bytes]]:
    out = []
    pos = 0
    while pos + 2 <= len(data):
        kind = data[pos]
        size, shift, i = 0, 0, pos + 1
        while True:
            if i >= len(data) or i > pos + 4:
                return out
            byte = data[i]
            size |= (byte & 0x7F) << shift
            shift += 7
            i += 1
            if not byte & 0x80:
                break
        if i + size > len(data):
            return out
        out.append((kind, data[i:i + size]))
        pos = i + size
    return out


def match(exchange: Exchange) -> ServiceInfo | None:
    if exchange.probe != "mqtt-connect":
        return None
    packets = _packets(exchange.received)
    if not packets or packets[0][0] != 0x20 or len(packets[0][1]) < 2 or packets[0][1][0] > 1:
        return None  # not a CONNACK (flags byte: session-present only)
    code = packets[0][1][1]
    for kind, body in packets[1:]:
        if kind >> 4 != 3 or len(body) < 2:
            continue
        topic_len = int.from_bytes(body[:2], "big")
        topic = body[2:2 + topic_len]
        payload = body[2 + topic_len + (2 if kind & 0x06 else 0):]
        if topic != MQTT_VERSION_TOPIC:
            continue
        for pattern, product in _BROKERS:
            m = pattern.match(payload)
            if m:
                return found("mqtt", product, text(m.group(1)))
        return found("mqtt", info=text(payload[:80]))
    info = None if code == 0 else f"connection refused (code {code})"
    return found("mqtt", info=info, confidence=SERVICE_ONLY)
