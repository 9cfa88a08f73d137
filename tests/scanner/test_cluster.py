"""--cluster local:N through the CLI: the same results as a local scan (loopback and a netns lab
of 3 hosts behind a bridge), also when a worker process is killed mid-scan, and plugins run on
the workers under their limits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
import psutil  # noqa: E402  (a dependency of distributed)

import lan_lab  # noqa: E402
from scanner_helpers import ROOT, prtip, prtip_env  # noqa: E402

TARGETS = "127.0.0.1-3"


def hosts(doc: dict) -> list[tuple[str, str, list]]:
    """What a scan found, without times: host order, status, ports with state and service."""
    return [(h["address"], h["status"], [(p["protocol"], p["port"], p["state"], p["reason"], p["service"],
                                         p.get("plugins")) for p in h["ports"]]) for h in doc["hosts"]]


def scan_json(*args: str, timeout: float = 240) -> dict:
    run = prtip("-n", "-oJ", "-", *args, timeout=timeout)
    assert run.status == 0, run.err
    assert "Traceback" not in run.err
    return json.loads(run.out)


def test_a_local_cluster_gives_the_local_scan(listeners):
    a, b, closed = listeners
    spec = f"{a},{b},{closed},22000-22400"
    local = scan_json("-sT", "-p", spec, TARGETS)
    on_cluster = scan_json("-sT", "-p", spec, TARGETS, "--cluster", "local:2")
    assert hosts(on_cluster) == hosts(local)
    assert len(on_cluster["hosts"]) == 3 and len(on_cluster["hosts"][0]["ports"]) == 404


def _workers_of(proc: psutil.Process) -> list[psutil.Process]:
    """The dask worker processes of a prtip client: its children that run its own command (the
    nannies run in the client and fork them; multiprocessing's helpers run other commands)."""
    found = []
    for child in proc.children(recursive=False):
        try:
            if child.cmdline() == proc.cmdline():
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_a_worker_killed_mid_scan_loses_nothing(tmp_path, listeners):
    a, b, closed = listeners
    spec = f"{a},{b},{closed},23000-23600"
    local = scan_json("-sT", "-p", spec, TARGETS)
    out = tmp_path / "cluster.json"
    # a probe per 20 ms per host: ~8 shards of ~1.5 s on 2 workers, so a worker dies with work in hand
    proc = subprocess.Popen([sys.executable, "-m", "prtip", "-n", "-sT", "--scan-delay", "20ms", "-p", spec,
                             TARGETS, "--cluster", "local:2", "-oJ", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=prtip_env(), cwd=ROOT)
    client = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    killed = None
    while time.monotonic() < deadline and killed is None and proc.poll() is None:
        workers = _workers_of(client)
        if len(workers) >= 2:
            time.sleep(1.0)
            try:
                os.kill(workers[0].pid, signal.SIGKILL)
                killed = workers[0].pid
            except ProcessLookupError:
                continue
        time.sleep(0.1)
    assert killed is not None, "no worker was killed: the scan ended first, or the workers never started"
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert hosts(json.loads(out.read_text())) == hosts(local)


PLUGIN_TOML = """\
[plugin]
name = "{name}"
version = "1.0.0"
author = "tests"
description = "cluster test plugin"
plugin_type = "scan"
capabilities = []
"""

TAGGER = """\
function on_target(target, result)
    if result.state == "open" then
        prtip.add_result("tag", "seen " .. result.port)
    end
end
"""

SPINNER = """\
function on_target(target, result)
    if result.port % 2 == 0 then
        while true do end
    end
end
"""


def _plugin(home: Path, name: str, code: str) -> None:
    folder = home / "plugins" / name
    folder.mkdir(parents=True)
    (folder / "plugin.toml").write_text(PLUGIN_TOML.format(name=name))
    (folder / "main.lua").write_text(code)


def test_plugins_run_on_the_workers_under_their_limits(tmp_path, listeners, monkeypatch):
    a, b, closed = listeners
    _plugin(tmp_path, "tagger", TAGGER)
    _plugin(tmp_path, "spinner", SPINNER)
    monkeypatch.setenv("PRTIP_HOME", str(tmp_path))
    args = ("-sT", "-p", f"{a},{b},{closed},24000-24003", "127.0.0.1", "--plugin", "tagger,spinner")
    local = scan_json(*args)
    on_cluster = scan_json(*args, "--cluster", "local:2")
    assert hosts(on_cluster) == hosts(local)
    tags = {p["port"]: p["plugins"]["tagger"]["tag"] for p in on_cluster["hosts"][0]["ports"] if p.get("plugins")}
    assert tags == {a: f"seen {a}", b: f"seen {b}"}
    # the spinner hit its instruction limit on a worker, and the scan went on without it
    assert any("spinner" in e and "instruction limit" in e for e in on_cluster["errors"]), on_cluster["errors"]
    # the bundle was unpacked under the workers' PRTIP_HOME, by its SHA-256
    bundles = list((tmp_path / "cluster-plugins").iterdir())
    assert len(bundles) == 1 and len(bundles[0].name) == 64


def test_cluster_errors_are_one_line():
    run = prtip("-sT", "-p", "80", "127.0.0.1", "--cluster", "local:0")
    assert run.status == 1 and "expected local:N" in run.err and "Traceback" not in run.err
    run = prtip("-sT", "-p", "80", "127.0.0.1", "--cluster", "tcp://127.0.0.1:1", timeout=60)
    assert run.status == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in run.err
    assert "Traceback" not in run.err
    run = prtip("-sT", "-p", "80", "127.0.0.1", "--cluster", "local:2", "--shard", "1/2", "--seed", "1")
    assert run.status == 2 and "cannot be combined" in run.err


@pytest.fixture(scope="module")
def lab():
    built = lan_lab.build_or_skip()
    servers = []
    try:
        for ns in built.host_ns:  # two listening ports on every lab host
            servers.append(subprocess.Popen(
                ["ip", "netns", "exec", ns, sys.executable, "-c",
                 "import socket, time\n"
                 "socks = []\n"
                 "for port in (22, 8080):\n"
                 "    s = socket.socket(); s.bind(('0.0.0.0', port)); s.listen(64); socks.append(s)\n"
                 "time.sleep(600)\n"]))
        time.sleep(0.5)
        yield built
    finally:
        for s in servers:
            s.kill()
            s.wait()
        built.close()


def test_a_local_cluster_scans_a_lab_like_a_local_scan(lab):
    def run(*extra: str) -> dict:
        proc = subprocess.run(lab.command(sys.executable, "-m", "prtip", "-n", "-oJ", "-", "-sT", "-p",
                                          "20-25,8080,9000", f"{lan_lab.PREFIX}.1-40", *extra),
                              capture_output=True, text=True, timeout=240, env=prtip_env(), cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    local, on_cluster = run(), run("--cluster", "local:2")
    assert hosts(on_cluster) == hosts(local)
    up = {h["address"] for h in on_cluster["hosts"] if h["status"] == "up"}
    assert set(lan_lab.HOST_IPS) <= up
    opened = {(h["address"], p["port"]) for h in on_cluster["hosts"] for p in h["ports"] if p["state"] == "open"}
    assert opened == {(ip, port) for ip in lan_lab.HOST_IPS for port in (22, 8080)}


def test_a_worker_without_root_says_so_for_a_syn_scan(monkeypatch):
    from prtip.cluster import ShardTask, run_shard
    from prtip.config import ScanConfig
    from prtip.errors import PrivilegeError
    from prtip.model import Target
    from prtip.ports import PortSelection
    from prtip.shards import Shard

    monkeypatch.setattr(os, "geteuid", lambda: 1000)  # as a `dask worker` started by a user
    task = ShardTask(ScanConfig(targets=("127.0.0.1",), tcp_scan="syn", seed=1, shard=Shard(1, 2)),
                     (Target("127.0.0.1"),), PortSelection(tcp=(80, 443)))
    with pytest.raises(PrivilegeError, match=r"worker .* \(pid \d+\) is not root: syn needs raw sockets on every worker"):
        run_shard(task)
