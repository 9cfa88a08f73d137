"""-sV wiring: open ports go to prtip.service's detect_services, results carry what it found."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from scanner_helpers import prtip
from prtip.config import ScanConfig
from prtip.model import ServiceInfo
from prtip.pipeline import execute
from prtip.service import detect as detection
from prtip.timing import timing_for


def test_open_ports_are_detected_and_reported(listeners, tmp_path, capsys, monkeypatch):
    a, b, closed = listeners
    asked: list = []

    async def fake_detect(host, ports, *, timeout, intensity=7):
        asked.append((host, sorted(ports), timeout, intensity))
        return {b: (ServiceInfo("ssh", "OpenSSH", "9.2p1 Debian 2", "protocol 2.0", "Linux", 1.0, "probed"),
                    b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
                a: (None, None)}

    monkeypatch.setattr(detection, "detect_services", fake_detect)
    out, xml_out = tmp_path / "s.json", tmp_path / "s.xml"
    config = ScanConfig(targets=("127.0.0.1",), ports=f"{a},{b},{closed}", tcp_scan="connect",
                        version_detection=True, version_intensity=5, resolve_names=False,
                        timing=timing_for(4), outputs=(("json", str(out)), ("xml", str(xml_out))))
    assert execute(config) == 0
    assert asked == [("127.0.0.1", sorted([(a, "tcp"), (b, "tcp")]), 5.0, 5)]
    stdout = capsys.readouterr().out
    assert "PORT" in stdout and "VERSION" in stdout
    line = next(ln for ln in stdout.splitlines() if ln.startswith(f"{b}/tcp"))
    assert line.split(None, 3)[1:] == ["open", "ssh", "OpenSSH 9.2p1 Debian 2 (protocol 2.0)"]
    assert "Service Info: OS: Linux" in stdout
    ports = {p["port"]: p for p in json.loads(out.read_text())["hosts"][0]["ports"]}
    assert ports[b]["service"] == {"name": "ssh", "product": "OpenSSH", "version": "9.2p1 Debian 2",
                                   "info": "protocol 2.0", "os_type": "Linux", "confidence": 1.0,
                                   "method": "probed", "tunnel": None}
    assert ports[b]["banner"] == "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
    assert ports[a]["service"] is None and ports[closed]["service"] is None
    svc = ET.parse(xml_out).getroot().find(f"host/ports/port[@portid='{b}']/service")
    assert svc.attrib == {"name": "ssh", "product": "OpenSSH", "version": "9.2p1 Debian 2",
                          "extrainfo": "protocol 2.0", "ostype": "Linux", "method": "probed", "conf": "10"}


def test_real_detection_of_an_ssh_greeting(listeners):
    _, b, _ = listeners
    run = prtip("-sT", "-sV", "-n", "-p", str(b), "-oJ", "-", "127.0.0.1")
    assert run.status == 0, run.err
    (port,) = json.loads(run.out)["hosts"][0]["ports"]
    assert port["service"]["name"] == "ssh"
    assert port["banner"].startswith("SSH-2.0-OpenSSH_9.2p1")
