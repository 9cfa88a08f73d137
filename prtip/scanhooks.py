"""ScanHooks: the points where plugins (issue 6) join the scan pipeline.

The pipeline calls, in this order::

    pre_scan(targets)      once, before discovery: may drop, reorder or add targets
    on_result(result)      for each port result as it is found (before -sV)
    analyze_banner(result) for each result after service detection, when it has a banner or a
                           service: may refine `service` or add `plugins` data
    post_scan(results)     once, with every final result, after the last host; returns the
                           post-scan output, (plugin, text) pairs shown after the hosts like
                           NSE's "Post-scan script results", or None
    format_result(result)  per port, when the normal output prints it: extra text shown under
                           the port line (like NSE script output), or None
    finish()               once at the very end, even after Ctrl-C: release resources

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
    """What the scan pipeline calls; implemented by the plugin host."""

    def pre_scan(self, targets: list[Target]) -> list[Target]: ...

    def on_result(self, result: PortResult) -> PortResult: ...

    def analyze_banner(self, result: PortResult) -> PortResult: ...

    def post_scan(self, results: Sequence[PortResult]) -> Sequence[tuple[str, str]] | None: ...

    def format_result(self, result: PortResult) -> str | None: ...

    def finish(self) -> None: ...


class NoHooks:
    """The default: no plugins, nothing changes."""

    def pre_scan(self, targets: list[Target]) -> list[Target]:
        return targets

    def on_result(self, result: PortResult) -> PortResult:
        return result

    def analyze_banner(self, result: PortResult) -> PortResult:
        return result

    def post_scan(self, results: Sequence[PortResult]) -> Sequence[tuple[str, str]] | None:
        return None

    def format_result(self, result: PortResult) -> str | None:
        return None

    def finish(self) -> None:
        return None
