"""The worker process of large scans (scanners/worker.py): its shared queue, its records, and
whole scans that use it: every port answered exactly once, also when the worker dies."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from prtip.model import CLOSED, CONN_REFUSED, NO_RESPONSE, OPEN, OPEN_FILTERED, RESET, SYN_ACK, PortResult
from prtip.scanners.worker import MIN_PORTS, RecordReader, RecordWriter, WorkQueue
from scanner_helpers import ROOT, listening_tcp_ports, needs_root, prtip_env

LARGE = f"1-{MIN_PORTS + 1000}"  # enough ports for the scan to fork its worker


def test_two_processes_take_every_chunk_exactly_once():
    ports = list(range(1, 10001))
    queue = WorkQueue(ports[:7000], private=ports[7000:], chunk=100)
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: its private chunks first, then shared ones until there are none
        taken = []
        while chunk := queue.take_first_private():
            taken += chunk
        os.write(report_w, json.dumps(taken).encode())
        os._exit(0)
    os.close(report_w)
    mine = []  # the parent: shared chunks only
    while chunk := queue.take():
        mine += chunk
    with os.fdopen(report_r) as fh:
        theirs = json.loads(fh.read())
    os.waitpid(pid, 0)
    queue.close()
    assert sorted(mine + theirs) == ports  # nothing lost, nothing twice
    assert not set(mine) & set(ports[7000:])  # private ports are the worker's alone
    assert theirs[:3000] == ports[7000:]  # ... and it takes them first


def test_records_become_the_same_port_results():
    answers = [(80, OPEN, SYN_ACK), (81, CLOSED, RESET), (82, CLOSED, CONN_REFUSED),
               (65535, OPEN_FILTERED, NO_RESPONSE)] * 700  # more than one batch, split records
    got: list[PortResult] = []

    async def main() -> None:
        r, w = os.pipe()
        reader = RecordReader(r, "127.0.0.1", "tcp", got.append)
        writer = RecordWriter(w)
        for port, state, reason in answers:
            writer.add(port, state, reason, None)
        writer.flush()
        os.close(w)
        await reader.done
        reader.close()

    asyncio.run(main())
    assert got == [PortResult("127.0.0.1", p, "tcp", s, why) for p, s, why in answers]


# ---- whole scans ------------------------------------------------------------------------------
SCAN = """
import json, os, sys
from prtip import cli
from prtip.scanners import worker
forks = []
real_fork = os.fork
def counting_fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counting_fork
if sys.argv[1] == "die":  # the worker takes one chunk, then dies without answering it
    def dying(run, window, queue, out):
        queue.take()
        os._exit(1)
    worker._worker_main = dying
status = 0
try:
    cli.main(sys.argv[2:])
except SystemExit as exc:
    status = exc.code
print(json.dumps({"forks": len(forks), "status": status}), file=sys.stderr)
"""


def scan(mode: str, *args: str) -> tuple[dict, dict]:
    proc = subprocess.run([sys.executable, "-c", SCAN, mode, *args, "-oJ", "-"], capture_output=True,
                          text=True, env=prtip_env(), cwd=ROOT, timeout=120)
    return json.loads(proc.stdout), json.loads(proc.stderr.strip().splitlines()[-1])


def check_states(got: dict[int, tuple[str, str]], ports: set[int], listening: set[int], refused: str) -> None:
    """Listeners open, every other port closed; `listening` holds this machine's listeners seen
    before or after the scan (other programs' listeners may come and go meanwhile)."""
    assert set(got) == ports
    opened = {p for p, answer in got.items() if answer == (OPEN, SYN_ACK)}
    assert opened <= listening
    assert all(got[p] == (CLOSED, refused) for p in ports - opened)


def port_states(doc: dict) -> dict[int, tuple[str, str]]:
    (host,) = doc["hosts"]
    states = {p["port"]: (p["state"], p["reason"]) for p in host["ports"]}
    assert len(states) == len(host["ports"])  # every port once
    return states


@pytest.mark.parametrize("flag, refused", [("-sT", CONN_REFUSED), pytest.param("-sS", RESET, marks=needs_root)])
@pytest.mark.parametrize("mode", ["normal", "die"])
def test_a_large_scan_answers_every_port_once(listeners, flag, refused, mode):
    a, b, closed = listeners
    before = listening_tcp_ports()
    doc, meta = scan(mode, flag, "-n", "-T4", "-p", f"{LARGE},{a},{b},{closed}", "127.0.0.1")
    assert meta == {"forks": 1, "status": 0}  # the worker ran (and, in "die", failed)
    got = port_states(doc)
    check_states(got, {*range(1, MIN_PORTS + 1001), a, b, closed}, before | listening_tcp_ports(), refused)
    assert got[a] == got[b] == (OPEN, SYN_ACK) and got[closed] == (CLOSED, refused)


def test_small_and_paced_scans_stay_in_one_process(listeners):
    a, _, _ = listeners
    _, meta = scan("normal", "-sT", "-n", "-p", f"1-100,{a}", "127.0.0.1")
    assert meta["forks"] == 0
    _, meta = scan("normal", "-sT", "-n", "--max-rate", "100000", "-p", f"{LARGE},{a}", "127.0.0.1")
    assert meta["forks"] == 0  # a rate budget belongs to one process
