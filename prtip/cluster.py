"""--cluster: one scan's shards run as tasks on a Dask distributed cluster.

Why Dask (``distributed``): it is pure Python, installs from PyPI with no broker to run (Celery
needs RabbitMQ or Redis, Ray ships a large native core), its scheduler already does what a
scan needs: it re-runs the task of a worker that died on another worker, and hands results
back as each task completes (``as_completed``). ``--cluster local:N`` starts a LocalCluster of
N worker processes on this machine; ``--cluster tcp://HOST:8786`` uses a running
``dask scheduler`` with its ``dask worker`` processes.

The client (this process) parses targets and ports, runs the plugins' ``pre_scan`` (which may
change the targets), picks a seed, and submits shard ``i/n`` of the probe order (shards.py) as
one task per shard, more shards than workers so that a slow or lost worker costs little. A
task (``run_shard``, on a worker) runs prtip's own scan engine over its shard, with the scan
and detection plugins shipped to it as one archive named by its SHA-256 and validated there,
under the worker's own plugin settings and the same limits; it returns its hosts and results,
all at once, so a task that dies leaves nothing half-reported and its shard simply runs again.
The client merges the shards' hosts in target order (one entry per host) into one Report, so
every output and the database are written as by a local scan; output plugins and ``post_scan``
run on the client, over the merged results.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import socket
import shutil
import sys
import tarfile
import tempfile
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from prtip.config import ScanConfig
from prtip.errors import ClusterError, PrivilegeError
from prtip.model import HostStatus, PortResult, Target, bare_result
from prtip.ports import PortSelection
from prtip.scanhooks import NoHooks, ScanHooks
from prtip.scanners import worker
from prtip.shards import Shard
from prtip.wire import decode_result, decode_status, encode_result, encode_status

if TYPE_CHECKING:
    from prtip.progress import Progress
    from prtip.report import Report

SHARDS_PER_WORKER = 4
LOCAL_PREFIX = "local:"
START_METHOD_ENV = "DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD"


# ---------------------------------------------------------------- plugins travel as one archive

@dataclass(frozen=True)
class PluginBundle:
    """Plugin folders packed for the workers; ``digest`` (SHA-256 of ``archive``) names it."""

    names: tuple[str, ...]
    archive: bytes
    digest: str


def bundle_plugins(folders: Sequence[Path]) -> PluginBundle:
    """A reproducible tar of the plugin folders (sorted entries, no times or owners), so the
    same plugins always give the same digest."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for folder in sorted(folders, key=lambda p: p.name):
            for path in sorted([folder, *folder.rglob("*")]):
                if path.is_symlink() or not (path.is_file() or path.is_dir()):
                    continue
                info = tar.gettarinfo(str(path), arcname=str(Path(folder.name) / path.relative_to(folder)))
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                if path.is_file():
                    with path.open("rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    data = buf.getvalue()
    return PluginBundle(tuple(sorted(f.name for f in folders)), data, hashlib.sha256(data).hexdigest())


def unpack_bundle(bundle: PluginBundle, cache: Path) -> Path:
    """The bundle's folder on this worker, unpacked once per digest after checking it."""
    if hashlib.sha256(bundle.archive).hexdigest() != bundle.digest:
        raise ClusterError(f"plugin bundle {bundle.digest[:12]} arrived damaged (its SHA-256 differs)")
    home = cache / bundle.digest
    if not home.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        # a private folder per task: two tasks of one worker may unpack at once
        tmp = Path(tempfile.mkdtemp(prefix=f".{bundle.digest}.", dir=cache))
        try:
            with tarfile.open(fileobj=io.BytesIO(bundle.archive)) as tar:
                tar.extractall(tmp, filter="data")
            tmp.rename(home)
        except OSError:
            if not home.is_dir():
                raise
        finally:
            # whoever lost the race to rename leaves nothing behind
            shutil.rmtree(tmp, ignore_errors=True)
    return home


# ---------------------------------------------------------------- what a task is and returns

@dataclass(frozen=True)
class ShardTask:
    config: ScanConfig  # seed and shard set; no outputs, database, journal or cluster
    targets: tuple[Target, ...]  # the client's, after pre_scan: every shard plans over the same list
    ports: PortSelection
    bundle: PluginBundle | None = None
    threads_by_host: dict[str, int] = field(default_factory=dict)  # the cluster's task slots per machine


@dataclass
class ShardResult:
    shard: str
    worker: str
    hosts: list[dict[str, Any]] = field(default_factory=list)  # status, timed_out, start, bare, rich (_ship)
    errors: list[str] = field(default_factory=list)


class ShardHooks:
    """The worker's side of the plugins: on_target and detection per result. Targets are the
    client's to choose (pre_scan runs there; here it only lets plugins set up); post_scan,
    export and format_result run on the client over the merged results."""

    def __init__(self, inner: ScanHooks) -> None:
        self.inner = inner

    @property
    def wants_banners(self) -> bool:
        return self.inner.wants_banners

    @property
    def formats_results(self) -> bool:
        return False  # format_result runs on the client

    @property
    def errors(self) -> list[str]:
        return self.inner.errors

    def pre_scan(self, targets: list[Target]) -> list[Target]:
        self.inner.pre_scan(list(targets))
        return targets

    def on_results(self, results: Sequence[PortResult]) -> Sequence[PortResult]:
        return self.inner.on_results(results)

    def analyze_banner(self, result: PortResult) -> PortResult:
        return self.inner.analyze_banner(result)

    def post_scan(self, results: Sequence[PortResult]) -> None:
        return None

    def format_result(self, result: PortResult) -> None:
        return None

    def finish(self) -> None:
        self.inner.finish()


def _worker_hooks(task: ShardTask) -> ScanHooks:
    if task.bundle is None:
        return NoHooks()
    from prtip.plugins.context import ScanContext
    from prtip.plugins.errors import PluginLoadError
    from prtip.plugins.manager import PluginManager
    from prtip.plugins.settings import prtip_home

    folder = unpack_bundle(task.bundle, prtip_home() / "cluster-plugins")
    manager = PluginManager(folder, scan=ScanContext.from_config(task.config))
    manager.discover_plugins()
    for name in task.bundle.names:
        found = manager.get(name)
        if not found.ok:  # validated here too: the worker's own check, not the client's word
            raise ClusterError(f"plugin {name} is broken on worker {socket.gethostname()}: {found.problem}")
        try:
            manager.load_plugin(name)
        except PluginLoadError as exc:
            raise ClusterError(f"plugin {name} does not load on worker {socket.gethostname()}: {exc}") from None
    return ShardHooks(manager.hooks())


def run_shard(task: ShardTask) -> ShardResult:
    """On a worker: scan one shard with prtip's own engine; everything it found, at once."""
    from prtip.pipeline import scan_headless

    config = task.config
    where = f"{socket.gethostname()} (pid {os.getpid()})"
    if config.needs_root and os.geteuid() != 0:
        raise PrivilegeError(f"worker {where} is not root: {', '.join(config.scan_type_names)} needs raw "
                             "sockets on every worker (run dask worker as root, or scan with -sT)")
    hooks = _worker_hooks(task)
    try:
        with worker.share_cores(worker.cores() // max(1, task.threads_by_host.get(_worker_host(), 1))):
            report = scan_headless(config, list(task.targets), task.ports, hooks)
    finally:
        hooks.finish()
    out = ShardResult(str(config.shard), where, errors=list(hooks.errors))
    for host in report.hosts.values():
        bare, rich = _ship(host.target.address, host.results.values())
        out.hosts.append({"status": encode_status(host.status), "timed_out": host.timed_out, "start": host.start,
                          "bare": bare, "rich": rich})
    return out


def _worker_host() -> str | None:
    """The host part of this Dask worker's address (None outside a worker)."""
    try:
        from distributed import get_worker
        from distributed.comm import get_address_host

        return get_address_host(get_worker().address)
    except (ImportError, ValueError):
        return None


def _ship(address: str, results: Iterable[PortResult]) -> tuple[dict[tuple[str, str, str], bytes], list[dict]]:
    """A host's results as they travel back. Most of a large scan's are bare (closed, filtered:
    the host's address, a port, a state and a reason, nothing else): those go as the port
    numbers of each (protocol, state, reason), two bytes a port; the rest as wire.py's
    lossless dicts."""
    bare: dict[tuple[str, str, str], array] = {}
    rich = []
    for r in results:
        if (r.host == address and r.service is None and r.banner is None and not r.plugins
                and r.plugin_text is None):
            key = (r.protocol, r.state, r.reason)
            ports = bare.get(key)
            if ports is None:
                ports = bare[key] = array("H")
            ports.append(r.port)
        else:
            rich.append(encode_result(r))
    return {key: ports.tobytes() for key, ports in bare.items()}, rich


def _unship(address: str, bare: dict[tuple[str, str, str], bytes], rich: list[dict]) -> list[PortResult]:
    results = []
    for (protocol, state, reason), data in bare.items():
        ports = array("H")
        ports.frombytes(data)
        results.extend([bare_result(address, port, protocol, state, reason) for port in ports])
    results.extend(map(decode_result, rich))
    return results


# ---------------------------------------------------------------- the client

def _connect(address: str) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--cluster needs the 'distributed' package: pip install 'prtip[cluster]'") from None
    if address.startswith(LOCAL_PREFIX):
        count = address[len(LOCAL_PREFIX):]
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {address!r}: expected local:N with N >= 1 workers")
        cluster = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)
        return Client(cluster)
    try:
        return Client(address, timeout=10)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _local_start_method(address: str) -> Any:
    """While a ``local:N`` cluster lives, its workers are forked from this process (also the
    ones the nanny restarts): they start with prtip and distributed already imported, where a
    spawned worker spends about a second of CPU importing them again. A method the user set
    in the environment wins."""
    if not address.startswith(LOCAL_PREFIX) or os.environ.get(START_METHOD_ENV):
        return contextlib.nullcontext()
    try:
        import dask
    except ImportError:  # _connect says what to install
        return contextlib.nullcontext()
    return dask.config.set({"distributed.worker.multiprocessing-method": "fork"})


def _bundle_for(hooks: ScanHooks) -> PluginBundle | None:
    """The loaded scan and detection plugins, packed for the workers (output plugins stay here)."""
    manager = getattr(hooks, "manager", None)
    folders = [p.path for p in manager.loaded.values() if p.plugin_type in ("scan", "detection")] if manager else []
    return bundle_plugins(folders) if folders else None


def run_on_cluster(config: ScanConfig, targets: list[Target], ports: PortSelection, report: Report,
                   hooks: ScanHooks, progress: Progress) -> int:
    """Scan ``targets`` × ``ports`` as shards on the cluster, merging into ``report``; returns
    the exit status (130 after Ctrl-C, with what had arrived)."""
    from distributed import as_completed

    assert config.cluster is not None
    targets = hooks.pre_scan(targets)
    report.total_targets = len(targets)
    seed = config.seed if config.seed is not None else random.SystemRandom().randrange(2**63)
    bundle = _bundle_for(hooks)
    arrived = _Arrivals()
    interrupted = False
    with _local_start_method(config.cluster):
        client = _connect(config.cluster)
        try:
            found = client.scheduler_info().get("workers", {}).values()
            workers = max(1, len(found))
            threads_by_host: dict[str, int] = {}
            for info in found:
                threads_by_host[info["host"]] = threads_by_host.get(info["host"], 0) + info.get("nthreads", 1)
            count = max(1, min(SHARDS_PER_WORKER * workers, len(targets) * max(1, len(ports))))
            shard_config = replace(config, outputs=(), db_path=None, resume_path=None, cluster=None, verbosity=0,
                                   seed=seed)
            tasks = [ShardTask(replace(shard_config, shard=Shard(i, count)), tuple(targets), ports, bundle,
                               threads_by_host) for i in range(1, count + 1)]
            progress.scan_started(f" on {workers} Dask worker{'' if workers == 1 else 's'} ({count} shards)")
            futures = [client.submit(run_shard, task, pure=False) for task in tasks]
            try:
                for future in as_completed(futures):
                    result = future.result()
                    arrived.add(result)
                    if config.verbosity:
                        print(f"prtip: shard {result.shard} done on {result.worker} "
                              f"({arrived.count}/{count})", file=sys.stderr)
            except KeyboardInterrupt:
                interrupted = True
                client.cancel(futures)
        finally:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    progress.scan_finished(sum(map(len, arrived.results.values())))
    arrived.merge(report, hooks, targets, interrupted)
    report.post_scan = list(hooks.post_scan(report.all_results()) or ())
    report.finish(interrupted=interrupted)
    return 130 if interrupted else 0


class _Arrivals:
    """The shards' hosts as they arrive, decoded then (while the other shards still run), so
    the end of the scan only orders them: one entry per host, up when any shard found it up,
    every result once (the shards are disjoint)."""

    def __init__(self) -> None:
        self.count = 0
        self.errors: list[str] = []
        self.statuses: dict[str, HostStatus] = {}
        self.timed_out: dict[str, bool] = {}
        self.started: dict[str, float] = {}
        self.results: dict[str, list[PortResult]] = {}

    def add(self, shard: ShardResult) -> None:
        self.count += 1
        self.errors.extend(shard.errors)
        for host in shard.hosts:
            status = decode_status(host["status"])
            address = status.target.address
            if address not in self.statuses or (status.up and not self.statuses[address].up):
                self.statuses[address] = status
            self.timed_out[address] = self.timed_out.get(address, False) or host["timed_out"]
            self.started[address] = min(self.started.get(address, host["start"]), host["start"])
            self.results.setdefault(address, []).extend(_unship(address, host["bare"], host["rich"]))

    def merge(self, report: Report, hooks: ScanHooks, targets: list[Target], interrupted: bool) -> None:
        """Everything that arrived into the report, in target order."""
        from prtip.pipeline import format_results, prints_plugin_text

        formats = prints_plugin_text(report.config) and hooks.formats_results
        report.errors.extend(self.errors)
        for target in targets:
            status = self.statuses.get(target.address)
            if status is None:
                continue
            results = self.results.get(target.address, ())
            report.host_started(status, len(results)).start = self.started[target.address]
            for r in results:
                report.add_result(r)
            if not interrupted:
                if formats:
                    format_results(report, hooks, target.address)  # output plugins run here, once
                report.host_finished(target.address, timed_out=self.timed_out[target.address])
