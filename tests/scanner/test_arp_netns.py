"""ARP host discovery (-PR) on a local Ethernet segment made of namespaces (tests/scanner/lan_lab.py).

The scanner runs inside the lab's scanner namespace; three hosts share its /24 on a bridge.
Needs root and permission to create namespaces; skipped otherwise. Every namespace is removed
at the end, even on failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import lan_lab
from lan_lab import BROADCAST_IP, HOST_IPS, NETWORK_IP, SCANNER_IP, SILENT_IP
from scanner_helpers import ROOT, prtip_env


@pytest.fixture(scope="module")
def lab():
    built = lan_lab.build_or_skip()
    try:
        yield built
    finally:
        built.close()


def scan(lab, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(lab.command(sys.executable, "-m", "prtip", "-n", *args), capture_output=True,
                          text=True, timeout=120, env=prtip_env(), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc


def hosts_of(lab, *args: str) -> dict[str, dict]:
    doc = json.loads(scan(lab, "-oJ", "-", *args).stdout)
    return {h["address"]: h for h in doc["hosts"]}


def test_arp_discovery_of_the_segment_finds_exactly_the_live_hosts(lab):
    hosts = hosts_of(lab, "-sn", f"{lan_lab.PREFIX}.0/24")
    up = {a for a, h in hosts.items() if h["status"] == "up"}
    assert up == {*HOST_IPS, SCANNER_IP}  # the scanner's own address too, as nmap
    assert len(hosts) == 256
    for address in HOST_IPS:
        assert hosts[address]["mac"] and len(hosts[address]["mac"].split(":")) == 6


def test_arp_reason_and_mac_in_xml(lab):
    root = ET.fromstring(scan(lab, "-sn", "-oX", "-", HOST_IPS[0]).stdout)
    (host,) = root.iter("host")
    assert host.find("status").get("reason") == "arp-response"
    kinds = {a.get("addrtype"): a.get("addr") for a in host.iter("address")}
    assert kinds["ipv4"] == HOST_IPS[0]
    mac = kinds["mac"]
    assert mac == mac.upper() and len(mac) == 17


@pytest.mark.parametrize("extra", [(), ("--send-ip",)])
def test_network_and_broadcast_addresses_are_never_up(lab, extra):
    hosts = hosts_of(lab, "-sn", *extra, NETWORK_IP, BROADCAST_IP, SCANNER_IP)
    assert hosts[NETWORK_IP]["status"] == "down"
    assert hosts[BROADCAST_IP]["status"] == "down"
    assert hosts[SCANNER_IP]["status"] == "up"


def test_send_ip_falls_back_to_ip_probes(lab):
    out = scan(lab, "-sn", "--send-ip", "-oX", "-", HOST_IPS[1], SILENT_IP).stdout
    root = ET.fromstring(out)
    by_addr = {h.find("address").get("addr"): h for h in root.iter("host")}
    live = by_addr[HOST_IPS[1]]
    assert live.find("status").get("state") == "up"
    assert live.find("status").get("reason") in ("echo-reply", "reset", "timestamp-reply", "syn-ack")
    assert all(a.get("addrtype") != "mac" for a in live.iter("address"))
    assert SILENT_IP not in by_addr  # down hosts are left out of XML, as nmap does
    assert hosts_of(lab, "-sn", "--send-ip", SILENT_IP)[SILENT_IP]["status"] == "down"


def test_Pn_connect_scan_of_an_address_nobody_has(lab):
    hosts = hosts_of(lab, "-Pn", "-sT", "--reason", "-p", "1-20", SILENT_IP)
    ports = hosts[SILENT_IP]["ports"]
    assert hosts[SILENT_IP]["status"] == "up"  # -Pn: taken as up, as nmap
    assert sorted(p["port"] for p in ports) == list(range(1, 21))
    assert {(p["state"], p["reason"]) for p in ports} == {("filtered", "host-unreach")}


def test_Pn_connect_scan_of_a_live_host_still_connects(lab):
    hosts = hosts_of(lab, "-Pn", "-sT", "--reason", "-p", "1-5", HOST_IPS[2])
    assert {(p["state"], p["reason"]) for p in hosts[HOST_IPS[2]]["ports"]} == {("closed", "conn-refused")}
