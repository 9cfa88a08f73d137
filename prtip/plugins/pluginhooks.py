"""PluginHooks: the scanner's ScanHooks carried out by Lua plugins, hook names as documented.

    pipeline (prtip/scanhooks.py)   plugin hooks called
    pre_scan(targets)           scan: pre_scan(targets) — may remove, add, reorder; the scan
                                uses what it returns, or what it left in the table
    on_results(results)         scan: on_target(target, result) for each, a plugin's calls for
                                BATCH results in one hand-off to the Lua thread; detection:
                                analyze_banner / probe_service when a result has a banner
    analyze_banner(result)      detection: analyze_banner(banner) on every banner,
                                probe_service(target) on open ports (network capability)
    post_scan(results)          scan: post_scan(results); output: export(results, path) when
                                --plugin-output PATH was given
    format_result(result)       output: format_result(result) lines under the port's line, once
                                per printed port (the pipeline keeps the text on the result; the
                                data stored with prtip.add_result is rendered by the outputs
                                themselves: prtip/outputs/pluginvalues.py)
    finish()                    every plugin's on_unload, then the runtimes are freed

A plugin that fails is recorded (``errors``) and skipped for that call; the result it was
given goes on unchanged, so plugins can add to results but never lose them.
"""

from __future__ import annotations

import functools
import logging
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

from prtip.model import OPEN, PortResult, Target
from prtip.plugins.errors import PluginFault
from prtip.plugins.context import TargetRef
from prtip.plugins.host import HookCall, Plugin
from prtip.plugins.manager import PluginManager
from prtip.textsafe import escape
from prtip.plugins.tables import (
    BadReturn, ServiceAnswer, add_plugin_data, merge_service, result_table, results_table, service_answer,
    target_ref, target_table, targets_answer, targets_table, text_answer,
)

MAX_ERRORS_PER_PLUGIN = 20  # errors listed in the output per plugin; the log has them all
log = logging.getLogger("prtip.plugins")
F = TypeVar("F", bound=Callable[..., Any])


def contained(fallback: Callable[..., Any]) -> Callable[[F], F]:
    """The pipeline trusts its hooks (prtip/scanhooks.py): a bug of the host itself — outside any
    plugin call, which Plugin.call already contains — must not end the scan either. It is
    logged and listed, and the scan goes on with ``fallback(*args)``: what it passed in."""
    def wrap(method: F) -> F:
        @functools.wraps(method)
        def guarded(self: "PluginHooks", *args: Any) -> Any:
            try:
                return method(self, *args)
            except Exception as exc:
                log.error("plugin host: %s failed (the scan goes on): %s: %s", method.__name__,
                          type(exc).__name__, exc, exc_info=True)
                self.errors.append(escape(f"plugin host: {method.__name__}: internal: {type(exc).__name__}: {exc}"))
                return fallback(*args)
        return guarded  # type: ignore[return-value]
    return wrap


def _same(value: Any, *_: Any) -> Any:
    return value


def _nothing(*_: Any) -> None:
    return None
# format_result text kept per plugin per port (add_result's bound): more would let one plugin
# print gigabytes into the normal output, one port at a time
MAX_FORMAT_BYTES = 1 << 20
TRUNCATED = "\n[... format_result output of plugin {plugin} cut: {size} bytes, at most 1 MiB per port]"

Key = tuple[str, str, int]
# port results whose on_target calls go to the Lua thread in one hand-off (their argument
# tables are built for the whole batch first)
BATCH = 256


class PluginHooks:
    """ScanHooks for one scan, running the manager's loaded plugins in load order."""

    def __init__(self, manager: PluginManager) -> None:
        self.manager = manager
        self.scan = manager.scan
        self.errors: list[str] = []  # the output's "errors" (pipeline: report.errors)
        self.faults: list[PluginFault] = []
        self._counts: dict[str, int] = {}
        self.hostnames: dict[str, str | None] = {}
        self._banner_seen: dict[Key, tuple[bytes | None, list[ServiceAnswer], dict[str, dict]]] = {}
        self._probed: dict[Key, tuple[list[ServiceAnswer], dict[str, dict]]] = {}
        manager.fault_listeners.append(self.record)
        for fault in manager.faults:  # load failures that happened before the scan
            self.record(fault)

    # ------------------------------------------------------------------ bookkeeping

    def record(self, fault: PluginFault) -> None:
        self.faults.append(fault)
        n = self._counts[fault.plugin] = self._counts.get(fault.plugin, 0) + 1
        if n <= MAX_ERRORS_PER_PLUGIN:
            self.errors.append(str(fault))
        elif n == MAX_ERRORS_PER_PLUGIN + 1:
            self.errors.append(f"plugin {fault.plugin}: more errors not listed here (see the log)")

    def plugins(self, kind: str) -> list[Plugin]:
        """The loaded plugins of a type, after picking up edits (a reload may change hooks or type)."""
        loaded = list(self.manager.loaded.values())
        for plugin in loaded:
            plugin.check_reload()
        return [p for p in loaded if p.plugin_type == kind]

    @property
    def wants_banners(self) -> bool:
        """True when a detection plugin runs: open ports then need their banners read."""
        return bool(self.plugins("detection"))

    @property
    def formats_results(self) -> bool:
        """True when an output plugin has format_result: only then is each port asked about."""
        return any(plugin.has_hook("format_result") for plugin in self.plugins("output"))

    # ------------------------------------------------------------------ scan plugins

    @contained(_same)
    def pre_scan(self, targets: list[Target]) -> list[Target]:
        self.scan.set_targets(t.address for t in targets)
        for plugin in self.plugins("scan"):
            if not plugin.has_hook("pre_scan"):
                continue
            table = targets_table(targets)
            r = plugin.call("pre_scan", table)
            if not r.ok:
                continue
            try:
                new, problems = targets_answer(table if r.first is None else r.first, targets)
            except BadReturn as exc:
                plugin.fault("pre_scan", "bad-return", str(exc))
                continue
            for problem in problems:
                plugin.fault("pre_scan", "bad-return", problem)
            targets = new
        self.scan.set_targets(t.address for t in targets)
        self.hostnames = {t.address: t.hostname for t in targets}
        return targets

    def on_result(self, result: PortResult) -> PortResult:
        return self.on_results([result])[0]

    @contained(_same)
    def on_results(self, results: Sequence[PortResult]) -> list[PortResult]:
        """on_target for each result, each scan plugin's calls in one hand-off per BATCH."""
        done: list[PortResult] = []
        names = self.hostnames
        for at in range(0, len(results), BATCH):
            batch = list(results[at:at + BATCH])
            refs: list[TargetRef] | None = None
            for plugin in self.plugins("scan"):
                if not plugin.has_hook("on_target"):
                    continue
                if refs is None:
                    refs = [target_ref(result) for result in batch]
                calls = [HookCall((target_table(ref), result_table(result, names.get(result.host))), ref)
                         for result, ref in zip(batch, refs)]
                answers = plugin.call_many("on_target", calls, accepts_results=True, reload_checked=True)
                batch = [add_plugin_data(result, plugin.name, r.additions) if r.ok and r.additions else result
                         for result, r in zip(batch, answers)]
            if self.wants_banners:
                batch = [self._detect(result) if result.banner is not None else result for result in batch]
            done.extend(batch)
        return done

    @contained(_nothing)
    def post_scan(self, results: Sequence[PortResult]) -> list[tuple[str, str]]:
        """Runs post_scan and export; returns each scan plugin's post-scan output: the string its
        post_scan returned, else what it logged (info and up) during the call, the way the
        plugin document's Scan Statistics example reports its summary."""
        shown: list[tuple[str, str]] = []
        for plugin in self.plugins("scan"):
            if plugin.has_hook("post_scan"):
                with _captured(plugin.log) as logged:
                    r = plugin.call("post_scan", results_table(results, self.hostnames))
                text = r.first.decode("utf-8", "replace") if r.ok and type(r.first) is bytes else ""
                text = text or "\n".join(logged)
                if text.strip():
                    shown.append((plugin.name, text))
        for plugin in self.plugins("output"):
            if not plugin.has_hook("export"):
                continue
            if not self.scan.export_path:
                plugin.log.info("export skipped: no --plugin-output PATH given")
                continue
            plugin.call("export", results_table(results, self.hostnames), self.scan.export_path.encode())
        return shown

    # ------------------------------------------------------------------ detection plugins

    @contained(_same)
    def analyze_banner(self, result: PortResult) -> PortResult:
        if not self.wants_banners:
            return result
        return self._detect(result)

    def _detect(self, result: PortResult) -> PortResult:
        """Run the detection plugins on a result once per banner (probes once per port)."""
        key: Key = (result.host, result.protocol, result.port)
        ref = target_ref(result)
        seen = self._banner_seen.get(key)
        if result.banner and (seen is None or seen[0] != result.banner):
            answers, data = [], {}
            for plugin in self.plugins("detection"):
                if plugin.has_hook("analyze_banner"):
                    r = plugin.call("analyze_banner", result.banner, target=ref, accepts_results=True)
                    self._collect(plugin, "analyze_banner", r, answers, data)
            seen = self._banner_seen[key] = (result.banner, answers, data)
        probed = self._probed.get(key)
        if probed is None and result.state == OPEN:
            answers, data = [], {}
            for plugin in self.plugins("detection"):
                if plugin.has_hook("probe_service") and plugin.has("network"):
                    r = plugin.call("probe_service", target_table(ref), target=ref, accepts_results=True)
                    self._collect(plugin, "probe_service", r, answers, data)
            probed = self._probed[key] = (answers, data)
        all_answers: list[ServiceAnswer] = []
        for part in (seen, probed):
            if part is None:
                continue
            answers, data = part[-2], part[-1]
            all_answers += answers
            for name, values in data.items():
                result = add_plugin_data(result, name, values)
        return merge_service(result, all_answers)

    def _collect(self, plugin: Plugin, hook: str, r: Any, answers: list, data: dict) -> None:
        if not r.ok:
            return
        if r.additions:
            data.setdefault(plugin.name, {}).update(r.additions)
        try:
            answer = service_answer(r.first, plugin.name)
        except BadReturn as exc:
            plugin.fault(hook, "bad-return", str(exc), target=None)
            return
        if answer is not None:
            answers.append(answer)

    # ------------------------------------------------------------------ output plugins

    @contained(_nothing)
    def format_result(self, result: PortResult) -> str | None:
        lines: list[str] = []
        for plugin in self.plugins("output"):
            if plugin.has_hook("format_result"):
                ref = target_ref(result)
                r = plugin.call("format_result", result_table(result, self.hostnames.get(result.host)),
                                target=ref, accepts_results=False)
                if not r.ok:
                    continue
                try:
                    text = text_answer(r.first, MAX_FORMAT_BYTES)
                except BadReturn as exc:
                    plugin.fault("format_result", "bad-return", str(exc), target=ref)
                    continue
                if text and text.cut:
                    plugin.log.warning("format_result (%s): %d bytes of text cut to %d", ref, text.size,
                                       MAX_FORMAT_BYTES)
                if text:
                    lines.append(text.text + (TRUNCATED.format(plugin=plugin.name, size=text.size)
                                              if text.cut else ""))
        return "\n".join(lines) if lines else None

    # ------------------------------------------------------------------ the end

    @contained(_nothing)
    def finish(self) -> None:
        """Unload every plugin (on_unload runs; its errors are logged)."""
        self.manager.unload_all()
        if self.record in self.manager.fault_listeners:
            self.manager.fault_listeners.remove(self.record)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured(logger: logging.Logger) -> Iterator[list[str]]:
    """The messages ``logger`` gets (info and up) while the block runs."""
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


__all__ = ["PluginHooks"]
