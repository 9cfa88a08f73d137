"""The report: results collected as they stream in, and the listeners told about them.

The pipeline feeds it (host_started, add_result, host_finished, finish); listeners (outputs,
the database, the progress display) get ``begin``, ``host_done`` per host as soon as that host
is complete, and ``end``. After Ctrl-C, ``finish(interrupted=True)`` completes every host still
in progress with the results found so far, so every output still gets everything.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

from prtip import __version__
from prtip.config import ScanConfig
from prtip.model import OPEN, OPEN_FILTERED, UNFILTERED, HostStatus, PortResult, Target
from prtip.ports import PortSelection

if TYPE_CHECKING:
    from prtip.journal import Journal

MAX_SHOWN_PER_STATE = 25  # nmap: a state with more ports than this is summarized, not listed

# Field getters for the once-per-host passes over a -p- host's 65,535 results: an int-keyed
# sort and a Counter fed by map() cost a third of tuple keys and generators. The passes follow
# arrival order, the results' order in memory, not port order: a -p- scan's results arrive
# shuffled, and a pass in port order misses the cache at nearly every result.
_PORT, _PROTOCOL = attrgetter("port"), attrgetter("protocol")
_ORDER, _SUMMARY_KEY = attrgetter("protocol", "port"), attrgetter("state", "protocol", "reason")


@dataclass
class HostReport:
    """Everything known about one host; results keyed by (protocol, port).

    Results change only through ``Report.add_result``, which bumps ``revision``: the port order
    and the per-state counts every output asks for are worked out once per revision, not once
    per output (a -p- host has 65,535 results and five readers)."""

    status: HostStatus
    start: float = field(default_factory=time.time)
    end: float | None = None
    results: dict[tuple[str, int], PortResult] = field(default_factory=dict)
    timed_out: bool = False
    complete: bool = False
    interrupted: bool = False  # closed by Ctrl-C: -sV may never have reached its ports
    revision: int = 0
    _order: tuple[int, int, list[PortResult]] = field(default=(-1, -1, []), repr=False, compare=False)
    _counts: tuple[int, int, Counter] = field(default=(-1, -1, Counter()), repr=False, compare=False)
    _states: tuple[int, int, Counter] = field(default=(-1, -1, Counter()), repr=False, compare=False)

    @property
    def target(self) -> Target:
        return self.status.target

    def _current(self, cached: tuple) -> bool:
        return cached[0] == self.revision and cached[1] == len(self.results)

    def ports(self) -> list[PortResult]:
        """Results ordered like nmap prints them: by protocol, then port number."""
        if not self._current(self._order):
            values = self.results.values()
            one_protocol = len(set(map(_PROTOCOL, values))) <= 1
            ordered = sorted(values, key=_PORT if one_protocol else _ORDER)
            self._order = (self.revision, len(ordered), ordered)
        return list(self._order[2])

    def summary_counts(self) -> Counter:
        """(state, protocol, reason) → how many ports."""
        if not self._current(self._counts):
            self._counts = (self.revision, len(self.results),
                            Counter(map(_SUMMARY_KEY, self.results.values())))
        return self._counts[2]

    def state_counts(self) -> Counter:
        """state → how many ports, most numerous first (from summary_counts: no pass of its own)."""
        if not self._current(self._states):
            counts: Counter = Counter()
            for (state, _, _), n in self.summary_counts().items():
                counts[state] += n
            self._states = (self.revision, len(self.results), Counter(dict(counts.most_common())))
        return self._states[2]

    def listed(self, ignored: set[str]) -> list[PortResult]:
        """The results not in an ``ignored`` state (ignored_states), in port order: the ports an
        output lists one by one. Found in arrival order, then sorted (they are few)."""
        if not ignored:
            return self.ports()
        shown = [r for r in self.results.values() if r.state not in ignored]
        shown.sort(key=_ORDER)
        return shown

    def ignored_states(self, verbosity: int = 0, open_only: bool = False) -> set[str]:
        """States summarized as "Not shown" instead of listed port by port (nmap's rule)."""
        limit = MAX_SHOWN_PER_STATE * max(1, verbosity)
        ignored = set()
        for state, n in self.state_counts().items():
            if state == OPEN:
                continue
            if open_only and state not in (OPEN_FILTERED, UNFILTERED):
                ignored.add(state)
            elif n > limit:
                ignored.add(state)
        return ignored

    def ignored_summary(self, ignored: set[str]) -> list[tuple[str, str, str, int]]:
        """(state, protocol, reason, count) for the ignored ports, most numerous first."""
        counts = Counter({key: n for key, n in self.summary_counts().items() if key[0] in ignored})
        return [(s, p, why, n) for (s, p, why), n in counts.most_common()]


class Listener(Protocol):
    def begin(self, report: Report) -> None: ...

    def host_done(self, report: Report, host: HostReport) -> None: ...

    def end(self, report: Report) -> None: ...


class Report:
    """The scan's results so far, and who gets told about them."""

    def __init__(self, config: ScanConfig, listeners: list[Listener] | None = None) -> None:
        self.config = config
        self.version = __version__
        self.listeners: list[Listener] = list(listeners or [])
        self.start = time.time()
        self.end: float | None = None
        self.hosts: dict[str, HostReport] = {}
        self.total_targets = 0
        self.ports: PortSelection = PortSelection()
        self.errors: list[str] = []
        self.post_scan: list[tuple[str, str]] = []  # (plugin, text): post-scan plugin output
        self.interrupted = False
        self.probes_total = 0
        self.probes_done = 0
        self.journal: Journal | None = None  # --resume: told of every host and result as they come

    # ---- fed by the pipeline ------------------------------------------------------------------
    def begin(self, total_targets: int, ports: PortSelection) -> None:
        self.total_targets, self.ports = total_targets, ports
        for listener in self.listeners:
            listener.begin(self)

    def host_started(self, status: HostStatus, probes: int | None = None, *, replayed: bool = False) -> HostReport:
        """A host enters the report; ``probes``: its port count when not the whole selection
        (a shard). ``replayed``: it comes from the resume journal, which needs no new record."""
        host = HostReport(status)
        self.hosts[status.target.address] = host
        if status.up:
            self.probes_total += len(self.ports) if probes is None else probes
        if self.journal is not None and not replayed:
            self.journal.host_started(status)
        return host

    def add_result(self, result: PortResult, *, replayed: bool = False) -> None:
        host = self.hosts[result.host]
        key = (result.protocol, result.port)
        if key not in host.results:
            self.probes_done += 1
        host.results[key] = result
        host.revision += 1
        if self.journal is not None and not replayed:
            self.journal.result(result)

    def host_finished(self, address: str, timed_out: bool = False) -> None:
        host = self.hosts[address]
        if host.complete:
            return
        host.end, host.complete, host.timed_out = time.time(), True, timed_out
        if self.journal is not None and not self.interrupted:  # an interrupted host resumes later
            self.journal.host_finished(address, timed_out)
        for listener in self.listeners:
            listener.host_done(self, host)

    def finish(self, interrupted: bool = False) -> None:
        """Close the report; after an interruption, hosts in progress are closed as they are."""
        self.interrupted = interrupted
        for address, host in list(self.hosts.items()):
            if not host.complete:
                host.interrupted = interrupted
                self.host_finished(address)
        self.end = time.time()
        for listener in self.listeners:
            listener.end(self)

    # ---- read by outputs ----------------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        return (self.end or time.time()) - self.start

    @property
    def hosts_up(self) -> int:
        return sum(1 for h in self.hosts.values() if h.status.up)

    def all_results(self) -> list[PortResult]:
        return [r for h in self.hosts.values() for r in h.ports()]

    def summary(self) -> str:
        """'N IP address(es) (M host(s) up) scanned in S seconds', as nmap words it."""
        n, up = self.total_targets, self.hosts_up
        return (f"{n} IP address{'' if n == 1 else 'es'} ({up} host{'' if up == 1 else 's'} up) "
                f"scanned in {self.elapsed:.2f} seconds")

    def stats(self) -> dict[str, object]:
        states: Counter = Counter()
        for host in self.hosts.values():
            states.update(host.state_counts())
        return {
            "hosts_total": self.total_targets,
            "hosts_up": self.hosts_up,
            "hosts_down": sum(1 for h in self.hosts.values() if not h.status.up),
            "ports_scanned": self.probes_done,
            "states": dict(states),
            "elapsed": round(self.elapsed, 3),
            "interrupted": self.interrupted,
        }
