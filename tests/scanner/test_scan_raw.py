"""Raw scans (-sS, -sF, -sN, -sX, -sA) on loopback, and where scapy may be imported."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from scanner_helpers import ROOT, needs_root, prtip, prtip_env


def states(run) -> dict[int, tuple[str, str]]:
    doc = json.loads(run.out)
    return {p["port"]: (p["state"], p["reason"]) for p in doc["hosts"][0]["ports"]}


@needs_root
def test_syn_scan_open_closed(listeners):
    a, b, closed = listeners
    run = prtip("-sS", "-n", "-p", f"{a},{b},{closed}", "-oJ", "-", "127.0.0.1")
    assert run.status == 0, run.err
    assert run.err == ""  # no scapy warnings
    assert states(run) == {a: ("open", "syn-ack"), b: ("open", "syn-ack"), closed: ("closed", "reset")}


@needs_root
def test_syn_scan_ipv6(listeners):
    import socket
    from scanner_helpers import TcpListener, free_port
    server = TcpListener(socket.AF_INET6, "::1")
    try:
        closed = free_port()
        run = prtip("-sS", "-n", "-p", f"{server.port},{closed}", "-oJ", "-", "::1")
        assert states(run) == {server.port: ("open", "syn-ack"), closed: ("closed", "reset")}
    finally:
        server.close()


@needs_root
def test_syn_is_the_default_as_root(listeners):
    a, _, _ = listeners
    run = prtip("-n", "-p", str(a), "-oJ", "-", "127.0.0.1")
    assert json.loads(run.out)["scan"]["type"] == ["syn"]


@needs_root
@pytest.mark.parametrize("flag", ["-sF", "-sN", "-sX"])
def test_fin_null_xmas(listeners, flag):
    a, _, closed = listeners
    run = prtip(flag, "-n", "--max-retries", "1", "-p", f"{a},{closed}", "-oJ", "-", "127.0.0.1")
    assert run.status == 0, run.err
    # RFC 793: a closed port answers RST; an open one drops the probe
    assert states(run) == {a: ("open|filtered", "no-response"), closed: ("closed", "reset")}


@needs_root
def test_ack_scan(listeners):
    a, _, closed = listeners
    run = prtip("-sA", "-n", "--reason", "-p", f"{a},{closed}", "-oJ", "-", "127.0.0.1")
    assert states(run) == {a: ("unfiltered", "reset"), closed: ("unfiltered", "reset")}


@needs_root
def test_full_syn_scan_matches_listening_ports():
    from scanner_helpers import listening_tcp_ports
    run = prtip("-sS", "-n", "-T4", "-p-", "--open", "-oJ", "-", "127.0.0.1")
    opened = {p for p, (s, _) in states(run).items() if s == "open"}
    import socket
    v4 = {p for p in listening_tcp_ports() if _accepts("127.0.0.1", p, socket)}
    assert opened == v4


def _accepts(host: str, port: int, socket) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def test_scapy_is_imported_in_one_module_only():
    importers = [p.relative_to(ROOT).as_posix() for p in (ROOT / "prtip").rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+scapy\b", p.read_text(), re.M)]
    assert importers == ["prtip/scanners/packets.py"]
    text = (ROOT / "prtip/scanners/packets.py").read_text()
    assert "import *" not in text


@pytest.mark.parametrize("flag", ["-sT", pytest.param("-sS", marks=needs_root)])
def test_scans_of_loopback_do_not_load_scapy(listeners, flag):
    # -sS writes its probes with tcpprobe.py; scapy comes in for discovery's pings only
    a, _, _ = listeners
    code = ("import sys; from prtip import cli\n"
            "try:\n    cli.main(['%s', '-n', '-p', '%d', '127.0.0.1'])\n"
            "finally:\n    print('SCAPY' if any(m.startswith('scapy') for m in sys.modules) else 'NO-SCAPY')\n"
            % (flag, a))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=prtip_env(),
                         cwd=ROOT, timeout=60).stdout
    assert out.strip().endswith("NO-SCAPY")


@needs_root
@pytest.mark.parametrize("batched", [True, False])
def test_syn_scan_with_and_without_batched_system_calls(listeners, batched):
    # batchio.py's sendmmsg/recvmmsg, and the one-call-per-packet path used where libc lacks them
    from scanner_helpers import listening_tcp_ports
    a, b, closed = listeners
    code = ("import sys; from prtip.scanners import batchio\n"
            f"batchio._LIBC = batchio._LIBC if {batched} else None\n"
            "from prtip import cli; cli.main(sys.argv[1:])\n")
    before = listening_tcp_ports()
    out = subprocess.run([sys.executable, "-c", code, "-sS", "-n", "-p", f"1-1500,{a},{b},{closed}", "-oJ", "-",
                          "127.0.0.1"], capture_output=True, text=True, env=prtip_env(), cwd=ROOT, timeout=60).stdout
    got = {p["port"]: (p["state"], p["reason"]) for p in json.loads(out)["hosts"][0]["ports"]}
    assert set(got) == {*range(1, 1501), a, b, closed}
    assert got[a] == got[b] == ("open", "syn-ack") and got[closed] == ("closed", "reset")
    opened = {p for p, answer in got.items() if answer == ("open", "syn-ack")}
    assert opened <= before | listening_tcp_ports()
    assert all(got[p] == ("closed", "reset") for p in set(got) - opened)
