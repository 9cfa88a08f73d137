"""The scan pipeline: ScanConfig → targets × ports → discovery → scanners → detection → report.

::

    execute(config)                       parse targets and ports (errors before any packet),
      │                                   open outputs and --db (errors before any packet)
      └─ run()                            per group of `hostgroup` hosts:
           discover() → reverse DNS →       is it up? what is it called?
           scan_host() per host, at once:    TCP and UDP scanners → hooks.on_results → report
                                             -sV: service.detect_results → hooks.analyze_banner
                                             hooks.format_result once per printed port → report
      report.finish() → outputs, database  also after Ctrl-C, with what was found (exit 130)

Nothing downstream reaches back: scanners only emit PortResults, the report only collects.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import signal
import sys
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from prtip.config import TCP_SCAN_TYPES, ScanConfig
from prtip.errors import PrivilegeError
from prtip.hostdiscovery import arp_discover, discover, reverse_name
from prtip.model import FILTERED, HOST_UNREACH, OPEN, HostStatus, PortResult, Target
from prtip.scanhooks import NoHooks, ScanHooks
from prtip.outputs import open_outputs, stdout_is_interactive
from prtip.ports import PortSelection, select_ports
from prtip.progress import Progress
from prtip.report import Report
from prtip.scanners import RateLimiter, Scanner, scanner_class
from prtip.shards import ScanPlan
from prtip.targets import expand

if TYPE_CHECKING:
    from prtip.journal import JournalHost

FD_RESERVE = 64  # descriptors kept for outputs, the database, raw sockets, DNS


def raise_fd_limit() -> int:
    """Lift the soft descriptor limit to the hard one; connect scans need one per probe."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


def service_timeout(config: ScanConfig) -> float:
    """Per-probe wait of service detection: nmap's ~5 s, shorter at -T5."""
    return 3.0 if config.timing.name == "insane" else 5.0


def prepare(config: ScanConfig) -> tuple[list[Target], PortSelection]:
    """Targets and ports from the config; raises the user's errors before anything is sent."""
    if config.needs_root and os.geteuid() != 0 and config.cluster is None:  # cluster: each worker checks
        flag = TCP_SCAN_TYPES[config.tcp_scan or "syn"]
        raise PrivilegeError(f"{flag} needs root privileges to send raw packets; run as root or use -sT (connect scan)")
    if config.ping_only:
        ports = PortSelection(tcp=(), udp=())
    else:
        # with a seed the probe order is the plan's (shards.py), over the ports in canonical order
        ports = select_ports(config.ports, protocols=config.protocols, fast=config.fast, top=config.top_ports,
                             exclude=config.exclude_ports, randomize=config.randomize and config.seed is None)
    targets = expand(config.targets, input_files=config.input_files, excludes=config.excludes,
                     exclude_files=config.exclude_files, prefer_ipv6=config.prefer_ipv6)
    return targets, ports


class Pipeline:
    """One running scan: its scanners, the raw engine if any, the report it fills."""

    def __init__(self, config: ScanConfig, report: Report, hooks: ScanHooks, progress: Progress) -> None:
        self.config, self.report, self.hooks, self.progress = config, report, hooks, progress
        self.timing = config.timing
        self.rate = RateLimiter(self.timing.max_rate, self.timing.min_rate)
        self.scanners: list[tuple[Scanner, str]] = []
        self.engine = None
        self.own_engine = False
        self.resumed: dict[str, JournalHost] = {}  # --resume: what earlier runs recorded
        self.host_ports: dict[str, PortSelection] = {}  # each target's ports in this run
        self.formats = prints_plugin_text(config) and hooks.formats_results
        self._found: list[PortResult] = []  # emitted, not yet through the hooks (flush)

    def _build_scanners(self, hosts_at_once: int) -> None:
        fds = raise_fd_limit() - FD_RESERVE
        socket_scanners = (self.config.tcp_scan == "connect") + self.config.udp_scan
        window = max(1, min(self.timing.parallelism, fds // max(1, hosts_at_once * max(1, socket_scanners))))
        if self.config.tcp_scan:
            self.scanners.append((scanner_class(self.config.tcp_scan)(self.timing, self.rate, window), "tcp"))
        if self.config.udp_scan:
            self.scanners.append((scanner_class("udp")(self.timing, self.rate, window), "udp"))

    def _discovery_engine(self):
        """Raw host discovery needs root; it shares the raw scanner's sockets when there is one."""
        if self.config.skip_discovery or os.geteuid() != 0:
            return None
        for scanner, _ in self.scanners:
            if hasattr(scanner, "engine_for_scan"):
                return scanner.engine_for_scan()
        from prtip.scanners.raw import RawEngine
        self.engine, self.own_engine = RawEngine(), True
        return self.engine

    def _plan(self, targets: list[Target], ports: PortSelection) -> list[Target]:
        """The targets this run scans (a shard's, less what the resume journal has complete),
        each with its own ports; journaled hosts are replayed into the report first."""
        config = self.config
        plan = ScanPlan(len(targets), ports, seed=config.seed, shard=config.shard, randomize=config.randomize)
        mine = [(t, target) for t, target in enumerate(targets) if plan.target_in_shard(t)]
        self.report.total_targets = len(mine)
        todo = []
        for t, target in mine:
            own = plan.ports_for(t)
            done = self.resumed.get(target.address)
            if done is not None and done.finished:
                self.report.host_started(done.status, len(own), replayed=True)
                for result in done.results.values():
                    self.report.add_result(result, replayed=True)
                self.report.host_finished(target.address, timed_out=done.timed_out)
                continue
            if done is not None:  # in progress when the last run stopped: the other ports only
                own = PortSelection(tcp=tuple(p for p in own.tcp if ("tcp", p) not in done.results),
                                    udp=tuple(p for p in own.udp if ("udp", p) not in done.results))
            self.host_ports[target.address] = own
            todo.append(target)
        return todo

    async def run(self, targets: list[Target], ports: PortSelection) -> None:
        targets = self._plan(self.hooks.pre_scan(targets), ports)
        group_size = max(1, self.timing.hostgroup)
        self._build_scanners(min(group_size, max(1, len(targets))))
        needs_ping = not self.config.skip_discovery and any(
            not _is_loopback(t.address) for t in targets)
        decided = {}
        if os.geteuid() == 0 and not self.config.send_ip:
            decided = await arp_discover(targets, self.timing, skip=self.config.skip_discovery)
        decided.update((a, h.status) for a, h in self.resumed.items() if a in self.host_ports)
        needs_ping = needs_ping and any(t.address not in decided for t in targets)
        engine = self._discovery_engine() if needs_ping else None
        try:
            for i in range(0, len(targets), group_size):
                group = targets[i:i + group_size]
                statuses = await discover(group, self.timing, skip=self.config.skip_discovery, engine=engine,
                                          decided=decided)
                if self.config.resolve_names:
                    named = await asyncio.gather(*(reverse_name(s.target) if s.up else _same(s.target)
                                                   for s in statuses))
                    statuses = [replace(s, target=t) for s, t in zip(statuses, named)]
                await asyncio.gather(*(self.scan_host(s, self.host_ports[s.target.address]) for s in statuses))
            self.flush()
            self.report.post_scan = list(self.hooks.post_scan(self.report.all_results()) or ())
        finally:
            await self.close()

    async def close(self) -> None:
        for scanner, _ in self.scanners:
            await scanner.close()
        if self.own_engine and self.engine is not None:
            self.engine.close()
            self.engine = None

    def format_results(self, address: str) -> None:
        if self.formats:
            format_results(self.report, self.hooks, address)

    def _host_finished(self, address: str, timed_out: bool = False) -> None:
        self.flush()
        self.format_results(address)
        self.report.host_finished(address, timed_out=timed_out)

    def _emit(self, result: PortResult) -> None:
        """A scanner found a result. It goes through the hooks with the others found in the same
        turn of the event loop (one hand-off to the plugins for many results), before anything
        reads the report (``flush``)."""
        self._found.append(result)
        if len(self._found) == 1:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop running: nothing would flush later
                self.flush()

    def flush(self) -> None:
        """The emitted results through hooks.on_results, into the report."""
        found, self._found = self._found, []
        if found:
            for result in self.hooks.on_results(found):
                self.report.add_result(result)
                if result.state == OPEN:
                    self.progress.discovered(result)

    async def _grab_banners_for_plugins(self, address: str) -> None:
        """Banners for detection plugins without -sV. When no plugin names the service, a banner
        the built-in matchers recognize does (an SSH greeting on 9101 is ssh, not the port
        table's jetdirect): the banner beats the table, the plugins beat both."""
        from prtip.service import METHOD_PORT, grab_banner, identify  # loads only when used

        opened = [r for r in self.report.hosts[address].ports() if r.state == OPEN and r.protocol == "tcp"]
        captures = await asyncio.gather(*(
            grab_banner(address, r.port, timeout=service_timeout(self.config), tls=False, intensity=1)
            for r in opened))
        for r, capture in zip(opened, captures):
            found = self.hooks.analyze_banner(replace(r, banner=capture.banner))
            if found.service is None and capture.banner:
                info = identify(r.port, capture)
                if info is not None and info.method != METHOD_PORT and info.name != "tcpwrapped":
                    found = replace(found, service=info)
            self.report.add_result(found)

    async def scan_host(self, status: HostStatus, ports: PortSelection) -> None:
        address = status.target.address
        earlier = self.resumed.get(address)
        self.report.host_started(status, len(ports) + (len(earlier.results) if earlier else 0))
        if earlier is not None:
            for result in earlier.results.values():
                self.report.add_result(result, replayed=True)
        if not status.up:
            self.report.host_finished(address)  # nothing to format: no port is printed
            return
        if status.unreachable:
            # -Pn, and nobody on the segment answered ARP: no IP packet can reach the address,
            # which is what every connect() would learn after the kernel's ~3 s (EHOSTUNREACH)
            for _, proto in self.scanners:
                for port in ports.of(proto):
                    self._emit(PortResult(address, port, proto, FILTERED, HOST_UNREACH))
            self._host_finished(address)
            return

        async def body() -> None:
            await asyncio.gather(*(scanner.scan(status.target, ports.of(proto), self._emit)
                                   for scanner, proto in self.scanners))
            self.flush()
            if self.config.version_detection:
                from prtip.service import detect_results  # loads only with -sV

                results = self.report.hosts[address].ports()
                for result in await detect_results(address, results, timeout=service_timeout(self.config),
                                                   intensity=self.config.version_intensity):
                    self.report.add_result(self.hooks.analyze_banner(result))
            elif self.hooks.wants_banners:
                # a detection plugin was named without -sV: grab banners for it (passive read,
                # then a generic HTTP request when the service stays silent)
                await self._grab_banners_for_plugins(address)

        timed_out = False
        try:
            if self.timing.host_timeout:
                await asyncio.wait_for(body(), self.timing.host_timeout)
            else:
                await body()
        except asyncio.TimeoutError:
            timed_out = True
        self._host_finished(address, timed_out=timed_out)


def prints_plugin_text(config: ScanConfig) -> bool:
    """format_result's text is printed by normal outputs only: with none (-oX - alone), no call."""
    requested = list(config.outputs)
    return stdout_is_interactive(requested) or any(fmt == "normal" for fmt, _ in requested)


def format_results(report: Report, hooks: ScanHooks, address: str) -> None:
    """Ask format_result once per port the normal output will print and keep the text on the
    result (``plugin_text``): the terminal and an -oN file print the same text, and Lua runs
    once. Called when the host is finished, as only then are its "Not shown" states known."""
    host = report.hosts[address]
    ignored = host.ignored_states(report.config.verbosity, report.config.open_only)
    for result in host.ports():
        if result.state not in ignored:
            text = hooks.format_result(result)
            if text is not None:
                report.add_result(replace(result, plugin_text=text))


async def _same(target: Target) -> Target:
    return target


def _is_loopback(address: str) -> bool:
    return address.startswith("127.") or address == "::1"


async def _main(config: ScanConfig, targets: list[Target], ports: PortSelection, report: Report,
                hooks: ScanHooks, progress: Progress, resumed: dict[str, JournalHost]) -> int:
    loop = asyncio.get_running_loop()
    pipeline = Pipeline(config, report, hooks, progress)
    pipeline.resumed = resumed
    task = loop.create_task(pipeline.run(targets, ports))
    interrupted = False

    def on_sigint() -> None:
        nonlocal interrupted
        interrupted = True
        task.cancel()

    in_main_thread = threading.current_thread() is threading.main_thread()  # not on a cluster worker
    if in_main_thread:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    progress.start()
    progress.scan_started()
    try:
        await task
    except asyncio.CancelledError:
        if not interrupted:
            raise
    finally:
        if in_main_thread:
            loop.remove_signal_handler(signal.SIGINT)
        progress.stop()
    pipeline.flush()  # Ctrl-C: what was found up to the interruption
    progress.scan_finished()
    for address, host in list(report.hosts.items()):
        if not host.complete:  # Ctrl-C: report.finish closes these with what they have
            pipeline.format_results(address)
    report.finish(interrupted=interrupted)
    return 130 if interrupted else 0


def scan_headless(config: ScanConfig, targets: list[Target], ports: PortSelection, hooks: ScanHooks) -> Report:
    """Scan into a Report that nobody listens to: a cluster worker's shard (cluster.py)."""
    report = Report(config, [])
    report.errors = hooks.errors
    with open(os.devnull, "w") as quiet:
        progress = Progress(report, 0, stream=quiet, events=quiet)
        report.begin(len(targets), ports)
        asyncio.run(_main(config, targets, ports, report, hooks, progress, {}))
    return report


# A scan keeps every result to the end, and each full collection of Python's cycle collector
# walks them all again: a -p- scan of four hosts ran 9 of them, 0.45 s of its 3.5 s. The young
# generations are collected as often as before (short-lived cycles: asyncio's futures and
# exceptions); the oldest only after 100 collections of the middle one instead of 10.
GC_THRESHOLDS = (700, 10, 100)


def execute(config: ScanConfig, hooks: ScanHooks | None = None) -> int:
    """Run one scan to the end (or to Ctrl-C); returns the exit status (0, or 130)."""
    gc.set_threshold(*GC_THRESHOLDS)  # forked cluster workers keep it too
    hooks = hooks or NoHooks()
    targets, ports = prepare(config)
    outputs = open_outputs(list(config.outputs))
    listeners: list = list(outputs)
    if config.db_path:
        from prtip.db import DbListener  # sqlite3 loads only for --db

        listeners.append(DbListener(config.db_path))
    report = Report(config, listeners)
    report.errors = hooks.errors  # plugin failures reach every output
    progress = Progress(report, config.verbosity,
                        events=sys.stdout if stdout_is_interactive(list(config.outputs)) else sys.stderr)
    report.listeners.append(progress)
    if not targets:
        print("prtip: warning: no targets were specified (or all were excluded), so 0 hosts scanned",
              file=sys.stderr)
    resumed: dict[str, JournalHost] = {}
    if config.resume_path:
        from prtip.journal import Journal  # sqlite3 loads only for --resume and --db

        report.journal = Journal(config.resume_path, list(config.argv), scan_fingerprint(config, targets, ports))
        resumed = report.journal.load()
        if resumed:
            done = sum(h.finished for h in resumed.values())
            print(f"prtip: resuming from {config.resume_path}: {done} host{'' if done == 1 else 's'} complete, "
                  f"{len(resumed) - done} in progress, {sum(len(h.results) for h in resumed.values())} results recorded",
                  file=sys.stderr)
    report.begin(len(targets), ports)
    try:
        if config.cluster is not None:
            from prtip.cluster import run_on_cluster

            return run_on_cluster(config, targets, ports, report, hooks, progress)
        return asyncio.run(_main(config, targets, ports, report, hooks, progress, resumed))
    finally:
        try:
            if report.journal is not None:
                report.journal.close()
        finally:
            hooks.finish()


def scan_fingerprint(config: ScanConfig, targets: list[Target], ports: PortSelection) -> str:
    """What a resume journal must agree on with the scan resuming it: what is scanned, how."""
    import hashlib
    import json

    what = {"targets": [t.address for t in targets], "tcp": sorted(ports.tcp), "udp": sorted(ports.udp),
            "scan": config.scan_type_names, "sV": config.version_detection, "seed": config.seed,
            "shard": str(config.shard) if config.shard else None}
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


