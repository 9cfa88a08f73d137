"""--seed, --shard i/n and --resume FILE, driven through the CLI on loopback (and the probe order
itself, with hypothesis): shards are disjoint and cover the scan; a killed or interrupted scan
resumed from its journal ends with the results of an uninterrupted one, each port once."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

from hypothesis import given, settings, strategies as st

from scanner_helpers import ROOT, TcpListener, prtip, prtip_env
from prtip.ports import PortSelection
from prtip.shards import ProbeOrder, ScanPlan, Shard

TARGETS = "127.0.0.1-3"


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 5000), seed=st.integers(0, 2**64))
def test_probe_order_is_a_permutation(size, seed):
    order = ProbeOrder(seed, size)
    seen = [order.at(k) for k in range(size)]
    assert sorted(seen) == list(range(size))
    assert all(order.position(i) == k for k, i in enumerate(seen))


@settings(max_examples=100, deadline=None)
@given(size=st.integers(1, 3000), seed=st.integers(0, 2**64), step=st.integers(1, 9), first=st.integers(0, 8))
def test_a_walk_is_the_order_at_its_positions(size, seed, step, first):
    order = ProbeOrder(seed, size)
    assert order.walk(first, step) == [order.at(k) for k in range(first, size, step)]


@settings(max_examples=100, deadline=None)
@given(targets=st.integers(1, 12), tcp=st.sets(st.integers(1, 65535), max_size=40),
       udp=st.sets(st.integers(1, 65535), max_size=10), n=st.integers(1, 9), seed=st.integers(0, 2**32))
def test_shards_are_disjoint_and_cover_the_scan(targets, tcp, udp, n, seed):
    ports = PortSelection(tcp=tuple(sorted(tcp)), udp=tuple(sorted(udp)))
    whole = {(t, proto, p) for t in range(targets) for proto in ("tcp", "udp") for p in ports.of(proto)}
    seen: list = []
    for i in range(1, n + 1):
        plan = ScanPlan(targets, ports, seed=seed, shard=Shard(i, n))
        for t in range(targets):
            mine = plan.ports_for(t)
            assert plan.target_in_shard(t) or not len(mine)
            seen.extend((t, proto, p) for proto in ("tcp", "udp") for p in mine.of(proto))
    assert len(seen) == len(set(seen))  # disjoint
    assert set(seen) == whole  # and nothing left out
    # the same seed gives the same order on every run: the shards agree without talking
    again = ScanPlan(targets, ports, seed=seed, shard=Shard(1, n))
    assert [again.ports_for(t) for t in range(targets)] == \
        [ScanPlan(targets, ports, seed=seed, shard=Shard(1, n)).ports_for(t) for t in range(targets)]


def _ports(path) -> dict[tuple[str, str, int], str]:
    doc = json.loads(path.read_text())
    found: dict[tuple[str, str, int], str] = {}
    for host in doc["hosts"]:
        for p in host["ports"]:
            key = (host["address"], p["protocol"], p["port"])
            assert key not in found, f"{key} reported twice"
            found[key] = p["state"]
    return found


def test_shards_through_the_cli_cover_the_scan_once(tmp_path, listeners):
    a, b, closed = listeners
    spec = f"{a},{b},{closed},20000-20300"
    whole = tmp_path / "whole.json"
    assert prtip("-sT", "-n", "-p", spec, TARGETS, "-oJ", str(whole)).status == 0
    expected = _ports(whole)
    assert len(expected) == 3 * 304
    union: dict = {}
    for i in (1, 2, 3):
        out = tmp_path / f"s{i}.json"
        run = prtip("-sT", "-n", "-p", spec, TARGETS, "--seed", "99", "--shard", f"{i}/3", "-oJ", str(out))
        assert run.status == 0, run.err
        part = _ports(out)
        assert part and not set(part) & set(union)
        union.update(part)
    assert union == expected


def test_shard_needs_a_seed_and_a_valid_part():
    run = prtip("-sT", "-p", "80", "127.0.0.1", "--shard", "1/2")
    assert run.status == 2 and "--shard needs --seed N" in run.err and "Traceback" not in run.err
    run = prtip("-sT", "-p", "80", "127.0.0.1", "--seed", "1", "--shard", "3/2")
    assert run.status == 2 and "--shard '3/2': I must be between 1 and N" in run.err


def _wait_for_rows(journal, at_least: int, proc: subprocess.Popen, limit: float = 60) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scan ended before it could be interrupted"
        try:
            with sqlite3.connect(journal) as conn:
                n = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
            if n >= at_least:
                return n
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    raise AssertionError("the journal never filled")


def _interrupted_then_resumed(tmp_path, listeners, stop: signal.Signals):
    a, b, closed = listeners
    spec = f"{a},{b},{closed},21000-21600"
    reference = tmp_path / "reference.json"
    assert prtip("-sT", "-n", "-p", spec, TARGETS, "-oJ", str(reference)).status == 0
    journal, out = tmp_path / "scan.journal", tmp_path / "resumed.json"
    # one probe per 2 ms per host: several seconds, so the stop lands mid-scan
    proc = subprocess.Popen([sys.executable, "-m", "prtip", "-sT", "-n", "--scan-delay", "2ms", "-p", spec,
                             TARGETS, "-oJ", str(out), "--resume", str(journal)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=prtip_env(), cwd=ROOT)
    recorded = _wait_for_rows(journal, 300, proc)
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == (130 if stop == signal.SIGINT else -9), err
    run = prtip("--resume", str(journal))
    assert run.status == 0, run.err
    assert "resuming" in run.err and "Traceback" not in run.err
    return recorded, _ports(reference), _ports(out)


def test_a_killed_scan_resumes_to_the_same_results(tmp_path, listeners):
    recorded, expected, got = _interrupted_then_resumed(tmp_path, listeners, signal.SIGKILL)
    assert 300 <= recorded < len(expected)
    assert got == expected


def test_an_interrupted_scan_resumes_to_the_same_results(tmp_path, listeners):
    _, expected, got = _interrupted_then_resumed(tmp_path, listeners, signal.SIGINT)
    assert got == expected


def test_a_journal_is_never_applied_to_another_scan(tmp_path, listeners):
    a, _, _ = listeners
    journal = tmp_path / "j"
    assert prtip("-sT", "-n", "-p", str(a), "127.0.0.1", "--resume", str(journal)).status == 0
    run = prtip("-sT", "-n", "-p", f"{a},22", "127.0.0.1", "--resume", str(journal))
    assert run.status == 1 and "belongs to another scan" in run.err and str(journal) in run.err
    run = prtip("--resume", str(tmp_path / "missing"))
    assert run.status == 1 and "no resume journal" in run.err
    (tmp_path / "junk").write_bytes(b"not a database at all" * 100)
    run = prtip("-sT", "-p", "1", "127.0.0.1", "--resume", str(tmp_path / "junk"))
    assert run.status == 1 and "cannot use resume journal" in run.err and "Traceback" not in run.err


def test_resuming_a_complete_scan_sends_nothing(tmp_path):
    server = TcpListener()
    journal, out = tmp_path / "j", tmp_path / "scan.json"
    assert prtip("-sT", "-n", "-p", str(server.port), "127.0.0.1", "-oJ", str(out),
                 "--resume", str(journal)).status == 0
    assert _ports(out) == {("127.0.0.1", "tcp", server.port): "open"}
    server.close()  # a new probe would find the port closed now
    out.unlink()
    run = prtip("--resume", str(journal))
    assert run.status == 0, run.err
    assert _ports(out) == {("127.0.0.1", "tcp", server.port): "open"}  # written from the journal
