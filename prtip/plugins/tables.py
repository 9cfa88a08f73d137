"""Scan data as Lua tables for hooks, and hook answers read back with every field checked.

Going in, a result table carries target_ip, hostname, port, protocol, state, reason, service,
product, version, info, os_type, confidence, method, banner and plugins (what plugins added).
Coming back, nothing a plugin returns is trusted: a service answer must be a table whose
``service`` is a non-empty string; text fields are strings (numbers are accepted and
converted) cut to MAX_FIELD characters; ``confidence`` is a number clamped to 0..1 (0.5 when
absent). A violation raises BadReturn, which the hook caller records as a fault.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

from luavm import LuaTable, rawlen, to_lua, typename

from prtip.model import PortResult, ServiceInfo, Target
from prtip.plugins.context import TargetRef, normalize_ip
from prtip.textsafe import truncate_utf8

MAX_FIELD = 256
DEFAULT_CONFIDENCE = 0.5
SERVICE_FIELDS = ("product", "version", "info", "os_type")


class BadReturn(ValueError):
    """A hook returned a value its contract forbids; the message says what was wrong."""


@dataclass(frozen=True)
class ServiceAnswer:
    """A detection plugin's checked answer; make_service turns the winner into a ServiceInfo."""

    name: str
    product: str | None = None
    version: str | None = None
    info: str | None = None
    os_type: str | None = None
    confidence: float = DEFAULT_CONFIDENCE
    method: str = ""  # the plugin's name


# ---------------------------------------------------------------- into Lua

def _text(value: Any) -> Any:
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value


# the few strings every result repeats (address, protocol, state, reason), encoded once
_ENCODED: dict[str, bytes] = {}
_ENCODED_MAX = 4096


def _repeated(text: str) -> bytes:
    b = _ENCODED.get(text)
    if b is None:
        if type(text) is not str:
            return _text(text)
        if len(_ENCODED) >= _ENCODED_MAX:
            _ENCODED.clear()
        b = _ENCODED[text] = text.encode("utf-8", "surrogateescape")
    return b


def target_ref(result: PortResult) -> TargetRef:
    return TargetRef(result.host, result.port, result.protocol)


def target_table(ref: TargetRef) -> LuaTable:
    """{ip, port, protocol}: what to_lua(ref.as_lua_data()) gives, built directly (per call)."""
    return LuaTable({b"ip": _repeated(ref.ip), b"port": ref.port, b"protocol": _repeated(ref.protocol)})


def result_table(result: PortResult, hostname: str | None = None) -> LuaTable:
    """The result as a hook sees it; built in one go (a hot path: once per port and plugin),
    with what to_lua would make of each field."""
    t = LuaTable({b"target_ip": _repeated(result.host), b"port": result.port, b"protocol": _repeated(result.protocol),
                  b"state": _repeated(result.state), b"reason": _repeated(result.reason)})
    if hostname is not None:  # second, as it always was (pairs() order); rarely known
        t = LuaTable({b"target_ip": t[b"target_ip"], b"hostname": _text(hostname), **t})
    if result.banner is not None:
        t[b"banner"] = result.banner
    svc = result.service
    if svc is not None:
        data: dict[str, Any] = {"service": svc.name}
        for key in SERVICE_FIELDS + ("confidence", "method"):
            data[key] = getattr(svc, key)
        for key, value in data.items():
            if value is not None:
                t[key.encode()] = to_lua(value)
    if result.plugins:
        t[b"plugins"] = to_lua({name: dict(values) for name, values in result.plugins.items()})
    return t


def results_table(results: Sequence[PortResult], hostnames: Mapping[str, str | None] | None = None) -> LuaTable:
    names = hostnames or {}
    t = LuaTable()
    for i, r in enumerate(results, 1):
        t[i] = result_table(r, names.get(r.host))
    return t


def targets_table(targets: Sequence[Target]) -> LuaTable:
    t = LuaTable()
    for i, target in enumerate(targets, 1):
        t[i] = to_lua({"ip": target.address, "hostname": target.hostname})
    return t


def config_table(config: Mapping[str, Any]) -> LuaTable:
    """plugin.toml's [config] for on_load; TOML dates and times become strings."""
    def plain(v: Any) -> Any:
        if isinstance(v, (datetime.date, datetime.time)):
            return v.isoformat()
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    return to_lua(plain(dict(config)))


# ---------------------------------------------------------------- out of Lua

def _field(t: LuaTable, key: str) -> str | None:
    v = t.get(key.encode())
    if v is None:
        return None
    if type(v) is int or (type(v) is float and math.isfinite(v)):
        v = str(v).encode()
    if type(v) is not bytes:
        raise BadReturn(f"field '{key}' must be a string, not a {typename(v)}")
    return v.decode("utf-8", "replace")[:MAX_FIELD] or None


def service_answer(value: Any, plugin: str) -> ServiceAnswer | None:
    """A detection hook's return value: nil, or a table in the documented return format."""
    if value is None:
        return None
    if type(value) is not LuaTable:
        raise BadReturn(f"expected a table or nil, got a {typename(value)}")
    name = _field(value, "service")
    if not name:
        raise BadReturn("field 'service' (the service name) is required")
    conf = value.get(b"confidence")
    if conf is None:
        confidence = DEFAULT_CONFIDENCE
    elif type(conf) in (int, float) and not (type(conf) is float and math.isnan(conf)):
        confidence = min(1.0, max(0.0, float(conf)))
    else:
        raise BadReturn(f"field 'confidence' must be a number, not a {typename(conf) if conf == conf else 'NaN'}")
    return ServiceAnswer(name, *(_field(value, k) for k in SERVICE_FIELDS), confidence=confidence, method=plugin)


@dataclass(frozen=True)
class TextAnswer:
    """format_result's text, cut to the host's bound: ``size`` is what the plugin returned."""

    text: str
    size: int
    cut: bool

    def __bool__(self) -> bool:
        return bool(self.text)


def text_answer(value: Any, limit: int) -> TextAnswer | None:
    """format_result's return value: a string (or a number), or nil; at most ``limit`` bytes kept."""
    if value is None:
        return None
    if type(value) is int or type(value) is float:
        value = str(value).encode()
    if type(value) is not bytes:
        raise BadReturn(f"expected a string or nil, got a {typename(value)}")
    kept = truncate_utf8(value, limit)
    return TextAnswer(kept.decode("utf-8", "replace"), len(value), len(kept) < len(value))


def targets_answer(value: Any, originals: Sequence[Target]) -> tuple[list[Target], list[str]]:
    """pre_scan's target list: entries are IP strings or {ip=..., hostname=...} tables.

    Returns the targets and the problems found; a bad entry is dropped (and reported), the
    others are kept, so one typo does not cancel a scan plugin's filtering."""
    if type(value) is not LuaTable:
        raise BadReturn(f"expected a table of targets or nil, got a {typename(value)}")
    known = {t.address: t for t in originals}
    out: list[Target] = []
    problems: list[str] = []
    n = rawlen(value)
    for i in range(1, n + 1):
        entry = value.get(i)
        hostname = None
        if type(entry) is LuaTable:
            ip, h = entry.get(b"ip"), entry.get(b"hostname")
            hostname = h.decode("utf-8", "replace") if type(h) is bytes else None
        else:
            ip = entry
        if type(ip) is not bytes:
            problems.append(f"target {i}: expected an IP address string or a table with 'ip', got {typename(entry)}")
            continue
        try:
            address = str(normalize_ip(ip.decode("ascii")))
        except (UnicodeDecodeError, ValueError):
            problems.append(f"target {i}: {ip.decode('utf-8', 'replace')[:64]!r} is not an IP address")
            continue
        original = known.get(address)
        out.append(original if original is not None and hostname is None else
                   Target(address, hostname if hostname is not None else (original.hostname if original else None)))
    return out, problems


# ---------------------------------------------------------------- merging into results

def merge_service(result: PortResult, answers: Iterable[ServiceAnswer]) -> PortResult:
    """The result with the most confident answer, if it beats what the result already says.

    Ties keep what is there (the built-in detection, or the earlier plugin). The winner counts
    as a whole: fields it leaves empty are filled from the loser only when the two agree (same
    service, and the same product or none given), so a plugin's product is never shown with
    the built-in detection's version of another product."""
    best: ServiceAnswer | None = None
    for a in answers:
        if best is None or a.confidence > best.confidence:
            best = a
    if best is None:
        return result
    current = result.service
    if current is None:
        return replace(result, service=make_service(best))
    cur_conf = current.confidence
    same = _agree(current, best)
    if best.confidence > cur_conf:
        if same:
            best = replace(best, **{k: getattr(best, k) or getattr(current, k) for k in SERVICE_FIELDS})
        return replace(result, service=make_service(best))
    if same:
        missing = {k: getattr(best, k) for k in SERVICE_FIELDS if not getattr(current, k) and getattr(best, k)}
        if missing:
            return replace(result, service=replace(current, **missing))
    return result


def _agree(a: ServiceInfo, b: ServiceAnswer) -> bool:
    """Two answers describe the same thing: one service name, and one product (or one has none)."""
    if a.name != b.name:
        return False
    return not a.product or not b.product or a.product == b.product


def make_service(answer: ServiceAnswer) -> ServiceInfo:
    """The ServiceInfo a winning answer puts on the result; `method` names the plugin."""
    return ServiceInfo(answer.name, answer.product, answer.version, answer.info, answer.os_type,
                       answer.confidence, answer.method)


def add_plugin_data(result: PortResult, plugin: str, data: Mapping[str, Any]) -> PortResult:
    """The result with ``data`` stored under the plugin's name (later keys win)."""
    if not data:
        return result
    merged = {name: dict(values) for name, values in result.plugins.items()}
    merged.setdefault(plugin, {}).update(data)
    return replace(result, plugins=merged)
