"""Timing templates -T0..-T5 and the option overrides that refine them.

Every number here is used by the scanners (see docs/SCANNING.md for the table):

- ``parallelism``: most probes in flight per host (connect scans: open sockets);
- ``initial_rtt_timeout``/``min_rtt_timeout``/``max_rtt_timeout``: how long a probe waits for an
  answer; the timeout adapts to measured round trips (srtt + 4·rttvar, like RFC 6298 and nmap)
  within [min, max];
- ``max_retries``: retransmissions of an unanswered probe before it counts as "no-response";
- ``scan_delay``: pause between two probes to one host (serializes the scan when > 0);
- ``hostgroup``: hosts scanned at once;
- ``host_timeout``: give up on a host after this many seconds (None: never).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Timing:
    """One set of timing parameters (a template, possibly with user overrides)."""

    name: str
    parallelism: int
    initial_rtt_timeout: float
    min_rtt_timeout: float
    max_rtt_timeout: float
    max_retries: int
    scan_delay: float
    hostgroup: int
    host_timeout: float | None = None
    min_rate: float | None = None
    max_rate: float | None = None


TEMPLATES: tuple[Timing, ...] = (
    Timing("paranoid", 1, 300.0, 0.1, 300.0, 10, 300.0, 1),
    Timing("sneaky", 1, 15.0, 0.1, 15.0, 10, 15.0, 1),
    Timing("polite", 1, 1.0, 0.1, 10.0, 10, 0.4, 4),
    Timing("normal", 500, 1.0, 0.1, 10.0, 10, 0.0, 32),
    Timing("aggressive", 2000, 0.5, 0.1, 1.25, 6, 0.0, 64),
    Timing("insane", 5000, 0.25, 0.05, 0.3, 2, 0.0, 128),
)


def timing_for(
    template: int = 3,
    *,
    max_retries: int | None = None,
    host_timeout: float | None = None,
    scan_delay: float | None = None,
    min_rate: float | None = None,
    max_rate: float | None = None,
    max_parallelism: int | None = None,
) -> Timing:
    """The template -T<template> with the user's explicit options applied on top."""
    t = TEMPLATES[template]
    changes: dict[str, object] = {}
    if max_retries is not None:
        changes["max_retries"] = max_retries
    if host_timeout is not None:
        changes["host_timeout"] = host_timeout
    if scan_delay is not None:
        changes["scan_delay"] = scan_delay
        if scan_delay > 0:  # probes are spaced out, so they go one at a time (as in nmap)
            changes["parallelism"] = 1
    if min_rate is not None:
        changes["min_rate"] = min_rate
    if max_rate is not None:
        changes["max_rate"] = max_rate
    if max_parallelism is not None:
        changes["parallelism"] = max_parallelism
    return replace(t, **changes)
