"""-sS / -sT / discovery against a real host: a network namespace behind a veth pair.

Needs root and permission to create namespaces; skipped otherwise. The namespace gets
10.200.1.2/29 (the host side 10.200.1.1/29), listeners on two ports, and a firewall rule that
drops a third port so that `filtered` is tested for real (nftables, else iptables: the SYN is
dropped silently, which is what a filtering firewall does). Everything is removed at the end,
even on failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from scanner_helpers import ROOT, prtip, prtip_env

HOST_IP, NS_IP = "10.200.1.1", "10.200.1.2"
OPEN_PORTS, FILTERED_PORT, CLOSED_PORT = (22222, 8080), 9999, 7777
SERVER = f"""
import socket, sys, threading
socks = []
for port in {OPEN_PORTS!r}:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(({NS_IP!r}, port)); s.listen(64); socks.append(s)
for port in ({FILTERED_PORT},):  # listening, but the firewall drops its SYNs
    s = socket.socket(); s.bind(({NS_IP!r}, port)); s.listen(64); socks.append(s)
def serve(s):
    while True:
        c, _ = s.accept(); c.close()
for s in socks:
    threading.Thread(target=serve, args=(s,), daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
"""


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=check, timeout=30)


def nft(ns: str, ruleset: str) -> bool:
    """Load an nftables ruleset inside the namespace; False if nft is missing or refuses."""
    if not shutil.which("nft"):
        return False
    proc = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=ruleset, text=True,
                          capture_output=True, timeout=30)
    return proc.returncode == 0


def _drop_rule(ns: str) -> str:
    """Install a DROP rule for FILTERED_PORT inside the namespace; returns the tool used."""
    rules = ("table inet prtip_test {\n chain input {\n  type filter hook input priority 0;\n"
             f"  tcp dport {FILTERED_PORT} drop\n }}\n}}\n")
    if nft(ns, rules):
        return "nftables"
    if shutil.which("iptables") and sh("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-p", "tcp",
                                       "--dport", str(FILTERED_PORT), "-j", "DROP", check=False).returncode == 0:
        return "iptables"
    pytest.skip("neither nftables nor iptables can install a DROP rule here")


@pytest.fixture(scope="module")
def netns():
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("needs root and iproute2 to create a network namespace")
    tag = os.getpid() % 100000
    ns, host_dev, ns_dev = f"prtip-test-{tag}", f"prtvh{tag}", f"prtvn{tag}"
    if sh("ip", "netns", "add", ns, check=False).returncode != 0:
        pytest.skip("`ip netns add` is not permitted here")
    server = None
    try:
        sh("ip", "link", "add", host_dev, "type", "veth", "peer", "name", ns_dev)
        sh("ip", "link", "set", ns_dev, "netns", ns)
        sh("ip", "addr", "add", f"{HOST_IP}/29", "dev", host_dev)
        sh("ip", "link", "set", host_dev, "up")
        sh("ip", "netns", "exec", ns, "ip", "addr", "add", f"{NS_IP}/29", "dev", ns_dev)
        sh("ip", "netns", "exec", ns, "ip", "link", "set", ns_dev, "up")
        sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
        tool = _drop_rule(ns)
        server = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", SERVER],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert server.stdout.readline().strip() == "ready"
        yield {"ns": ns, "host_dev": host_dev, "firewall": tool}
    finally:
        if server is not None:
            server.kill()
            server.wait()
        sh("ip", "link", "del", host_dev, check=False)
        sh("ip", "netns", "del", ns, check=False)


def scan(*args: str, ports: str = "") -> dict:
    ports = ",".join(map(str, (*OPEN_PORTS, FILTERED_PORT, CLOSED_PORT))) + ("," + ports if ports else "")
    run = prtip("-n", "-T4", "--reason", "-p", ports, "-oJ", "-", *args, NS_IP)
    assert run.status == 0, run.err
    assert run.err == ""
    return json.loads(run.out)


EXPECTED = {
    "-sS": {22222: ("open", "syn-ack"), 8080: ("open", "syn-ack"), FILTERED_PORT: ("filtered", "no-response"),
            CLOSED_PORT: ("closed", "reset")},
    "-sT": {22222: ("open", "syn-ack"), 8080: ("open", "syn-ack"), FILTERED_PORT: ("filtered", "no-response"),
            CLOSED_PORT: ("closed", "conn-refused")},
    "-sA": {22222: ("unfiltered", "reset"), 8080: ("unfiltered", "reset"),
            FILTERED_PORT: ("filtered", "no-response"), CLOSED_PORT: ("unfiltered", "reset")},
    "-sF": {22222: ("open|filtered", "no-response"), 8080: ("open|filtered", "no-response"),
            FILTERED_PORT: ("open|filtered", "no-response"), CLOSED_PORT: ("closed", "reset")},
}


@pytest.mark.parametrize("flag", list(EXPECTED))
def test_states_through_a_firewall(netns, flag):
    doc = scan(flag, "--max-retries", "2")
    (host,) = doc["hosts"]
    assert host["status"] == "up"
    got = {p["port"]: (p["state"], p["reason"]) for p in host["ports"]}
    assert got == EXPECTED[flag], netns["firewall"]


LARGE = "1-2500"  # with the four ports above: enough for the scan to fork its worker (worker.py)


@pytest.mark.parametrize("flag", ["-sS", "-sT"])
def test_a_large_scan_through_a_firewall_shares_timeouts_and_retries_with_the_worker(netns, flag):
    doc = scan(flag, "--max-retries", "2", ports=LARGE)
    got = {p["port"]: (p["state"], p["reason"]) for p in doc["hosts"][0]["ports"]}
    closed = EXPECTED[flag][CLOSED_PORT]
    assert got == {**{p: closed for p in range(1, 2501)}, **EXPECTED[flag]}


def test_raw_host_discovery_finds_the_host_up(netns):
    run = prtip("-sS", "-n", "-p", "22222", "-oX", "-", NS_IP)
    status = run.out.split('<status state="', 1)[1].split('"', 2)
    assert status[0] == "up"
    assert 'reason="echo-reply"' in run.out or 'reason="reset"' in run.out or 'reason="syn-ack"' in run.out


def test_unreachable_host_is_down_without_Pn(netns):
    # 10.200.1.3 is in the veth subnet (/29) but nobody has it: no answer to any ping probe
    run = prtip("-sS", "-n", "-T5", "-p", "22222", "-oJ", "-", "10.200.1.3")
    assert run.status == 0, run.err
    doc = json.loads(run.out)
    assert doc["hosts"][0]["status"] == "down" and doc["stats"]["hosts_up"] == 0


def test_retries_make_a_lossy_link_answer_like_a_clean_one(netns):
    # nftables drops 40% of the probes (and nothing else) at random: only retries get answers
    lossy = ("table inet prtip_loss {\n chain input {\n  type filter hook input priority -10;\n"
             f"  tcp dport {{ {OPEN_PORTS[0]}, {OPEN_PORTS[1]}, {CLOSED_PORT} }} numgen random mod 10 < 4 drop\n"
             " }\n}\n")
    if not nft(netns["ns"], lossy):
        pytest.skip("nftables with numgen is needed to emulate packet loss")
    try:
        for flag in ("-sS", "-sT"):
            doc = scan(flag, "--max-retries", "10")
            got = {p["port"]: (p["state"], p["reason"]) for p in doc["hosts"][0]["ports"]}
            assert got == EXPECTED[flag]
    finally:
        nft(netns["ns"], "delete table inet prtip_loss\n")


def lossy_link(ns: str, percent: int) -> None:
    rule = (f"table inet prtip_loss {{\n chain input {{\n  type filter hook input priority -10;\n"
            f"  tcp dport != 9999 numgen random mod 100 < {percent} drop\n }}\n}}\n")
    if not nft(ns, rule):
        pytest.skip("nftables with numgen is needed to emulate packet loss")


@pytest.mark.parametrize("flag", ["-sS", "-sT"])
def test_retries_of_both_processes_make_a_lossy_link_answer_like_a_clean_one(netns, flag):
    # a large scan, so its worker process retransmits its own share; 10% of every probe is lost
    # (2,500 ports x 0.1^11: no port loses all its 11 probes)
    lossy_link(netns["ns"], 10)
    try:
        doc = scan(flag, "--max-retries", "10", ports=LARGE)
    finally:
        nft(netns["ns"], "delete table inet prtip_loss\n")
    got = {p["port"]: (p["state"], p["reason"]) for p in doc["hosts"][0]["ports"]}
    closed = EXPECTED[flag][CLOSED_PORT]
    assert got == {**{p: closed for p in range(1, 2501)}, **EXPECTED[flag]}


@pytest.mark.parametrize("flag", ["-sS", "-sT"])
def test_every_probe_of_a_large_scan_is_retransmitted_as_often_as_it_should(netns, flag):
    # 40% loss and one retry: a port stays unanswered when both its probes are lost, 16% of the
    # ports (400 of 2,500, one standard deviation 18): fewer retransmissions would leave far
    # more unanswered, more would leave far fewer
    lossy_link(netns["ns"], 40)
    try:
        doc = scan(flag, "--max-retries", "1", ports=LARGE)
    finally:
        nft(netns["ns"], "delete table inet prtip_loss\n")
    silent = sum(p["state"] == "filtered" and p["port"] <= 2500 for p in doc["hosts"][0]["ports"])
    assert 250 < silent < 550


@pytest.mark.parametrize("flag", ["-sS", "-sT"])
def test_ports_that_answer_come_before_retransmissions(netns, flag):
    # 2000-12000 are dropped: their 7 probes each (T4) take longer than the host timeout, the
    # first probe of every port does not; so every port below 2000 must have its answer
    drop = ("table inet prtip_slow {\n chain input {\n  type filter hook input priority -20;\n"
            "  tcp dport 2000-12000 drop\n }\n}\n")
    if not nft(netns["ns"], drop):
        pytest.skip("nftables is needed to drop a port range")
    try:
        run = prtip(flag, "-n", "-T4", "--host-timeout", "2500ms", "-p", "1-12000", "-oJ", "-", NS_IP)
    finally:
        nft(netns["ns"], "delete table inet prtip_slow\n")
    assert run.status == 0, run.err
    got = {p["port"]: p["state"] for p in json.loads(run.out)["hosts"][0]["ports"]}
    assert {p: got.get(p) for p in range(1, 2000)} == {p: "closed" for p in range(1, 2000)}


def test_ctrl_c_during_a_large_scan_keeps_the_results_and_ends_the_worker(netns, tmp_path):
    # ports 3000-30000 are dropped, so the scan waits on timeouts until it is interrupted
    drop = ("table inet prtip_slow {\n chain input {\n  type filter hook input priority -20;\n"
            "  tcp dport 3000-30000 drop\n }\n}\n")
    if not nft(netns["ns"], drop):
        pytest.skip("nftables is needed to drop a port range")
    out = tmp_path / "scan.json"
    try:
        proc = subprocess.Popen([sys.executable, "-m", "prtip", "-sS", "-n", "-T4", "--max-retries", "10",
                                 "-p", "1-30000", "-oJ", str(out), NS_IP], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=prtip_env(), cwd=ROOT)
        time.sleep(3)
        workers = children(proc.pid)
        shared = [sockets(proc.pid) & sockets(pid) for pid in workers]
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        nft(netns["ns"], "delete table inet prtip_slow\n")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err == ""
    assert len(workers) == 1  # the scan had forked its worker...
    assert shared == [set()]  # ...which holds none of the parent's sockets...
    assert not any(os.path.exists(f"/proc/{pid}") and not _zombie(pid) for pid in workers)  # ...now gone
    doc = json.loads(out.read_text())
    got = {p["port"]: (p["state"], p["reason"]) for p in doc["hosts"][0]["ports"]}
    assert doc["stats"]["interrupted"] is True and got
    assert all(answer == ("closed", "reset") for port, answer in got.items() if port < 3000 and port not in OPEN_PORTS)


def sockets(pid: int) -> set[str]:
    """The sockets a process holds ('socket:[inode]')."""
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(c) for c in fh.read().split()]


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_unprivileged_discovery_connects_to_80_and_443(netns, monkeypatch, capsys):
    # what a non-root user gets: connect() to 80/443 (both closed in the namespace: refused)
    from prtip.config import ScanConfig
    from prtip.pipeline import execute
    from prtip.timing import timing_for
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    config = ScanConfig(targets=(NS_IP, "10.200.1.3"), ports=str(OPEN_PORTS[0]), tcp_scan="connect",
                        resolve_names=False, timing=timing_for(5), outputs=(("json", "-"),))
    assert execute(config) == 0
    hosts = {h["address"]: h for h in json.loads(capsys.readouterr().out)["hosts"]}
    assert hosts[NS_IP]["status"] == "up" and hosts[NS_IP]["ports"][0]["state"] == "open"
    assert hosts["10.200.1.3"]["status"] == "down" and hosts["10.200.1.3"]["ports"] == []
