"""ScanHooks: the points where plugins (issue 6) join the scan pipeline.

The pipeline calls, in this order::

    pre_scan(targets)      once, before discovery: may drop, reorder or add targets
    on_results(results)    for the port results as they are found (before -sV), in order,
                           a batch at a time: what the scanners found since the last batch;
                           returns them, each possibly changed (NoHooks: on_result each)
    analyze_banner(result) for each result after service detection, when it has a banner or a
                           service: may refine `service` or add `plugins` data
    post_scan(results)     once, with every final result, after the last host; returns the
                           post-scan output, (plugin, text) pairs shown after the hosts like
                           NSE's "Post-scan script results", or None
    format_result(result)  once per port the normal output will print, when its host is
                           finished (also by a host timeout or Ctrl-C): extra text shown under
                           the port line (like NSE script output), or None; the pipeline stores
                           it as ``result.plugin_text``, which every output reads
    finish()               once at the very end, even after Ctrl-C: release resources

and reads two attributes::

    wants_banners          True when open ports need their banners read without -sV (a
                           detection plugin runs); read per host, after its ports are scanned
    formats_results        True when an output plugin has format_result (else the pipeline
                           never asks: a -p- host has 65,535 ports to ask about)
    errors                 the plugin failures so far, a list the hooks keep appending to: the
                           report shows it in every output (JSON "errors", ...)

Every method returns a (possibly new) value instead of mutating: results are frozen, so a hook
that changes one returns ``dataclasses.replace(result, ...)``. A hook that raises is the
plugin host's business to catch and record; the pipeline treats these calls as trusted.
NoHooks, the default, returns everything unchanged.
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

from prtip.model import PortResult, Target


@runtime_checkable
class ScanHooks(Protocol):
    """What the scan pipeline calls and reads; implemented by the plugin host."""

    @property
    def wants_banners(self) -> bool: ...

    @property
    def formats_results(self) -> bool: ...

    @property
    def errors(self) -> list[str]: ...

    def pre_scan(self, targets: list[Target]) -> list[Target]: ...

    def on_results(self, results: Sequence[PortResult]) -> Sequence[PortResult]: ...

    def analyze_banner(self, result: PortResult) -> PortResult: ...

    def post_scan(self, results: Sequence[PortResult]) -> Sequence[tuple[str, str]] | None: ...

    def format_result(self, result: PortResult) -> str | None: ...

    def finish(self) -> None: ...


class NoHooks:
    """The default: no plugins, nothing changes."""

    @property
    def wants_banners(self) -> bool:
        return False

    @property
    def formats_results(self) -> bool:
        # a subclass that overrides format_result formats; NoHooks itself never does
        return type(self).format_result is not NoHooks.format_result

    @property
    def errors(self) -> list[str]:
        return []  # a new list each time: nothing ever fails here, and nothing is shared

    def pre_scan(self, targets: list[Target]) -> list[Target]:
        return targets

    def on_results(self, results: Sequence[PortResult]) -> Sequence[PortResult]:
        return [self.on_result(result) for result in results]

    def on_result(self, result: PortResult) -> PortResult:
        """One result (subclasses that look at results one at a time override this)."""
        return result

    def analyze_banner(self, result: PortResult) -> PortResult:
        return result

    def post_scan(self, results: Sequence[PortResult]) -> Sequence[tuple[str, str]] | None:
        return None

    def format_result(self, result: PortResult) -> str | None:
        return None

    def finish(self) -> None:
        return None
