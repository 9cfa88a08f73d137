"""Ctrl-C: every result found so far reaches every requested output, then exit status 130."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from scanner_helpers import ROOT, prtip_env


def test_sigint_writes_partial_results_everywhere(tmp_path, listeners):
    a, _, _ = listeners
    outs = {ext: tmp_path / f"scan.{ext}" for ext in ("json", "xml", "gnmap", "nmap")}
    # one probe per 5 ms over 20000 ports: ~100 s unless interrupted
    proc = subprocess.Popen(
        [sys.executable, "-m", "prtip", "-sT", "-n", "-r", "--scan-delay", "5ms", "-p", f"{a},40000-59999",
         "-oJ", str(outs["json"]), "-oX", str(outs["xml"]), "-oG", str(outs["gnmap"]),
         "-oN", str(outs["nmap"]), "--db", str(tmp_path / "scans.db"), "127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=prtip_env(), cwd=ROOT)
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err

    doc = json.loads(outs["json"].read_text())
    ports = doc["hosts"][0]["ports"]
    assert 20 < len(ports) < 20001
    assert doc["stats"]["interrupted"] is True

    root = ET.parse(outs["xml"]).getroot()
    finished = root.find("runstats/finished")
    assert finished.get("exit") == "error" and "SIGINT" in finished.get("errormsg")
    xml_count = len(root.findall("host/ports/port")) + sum(
        int(e.get("count")) for e in root.findall("host/ports/extraports"))
    assert xml_count == len(ports)

    gnmap = outs["gnmap"].read_text()
    assert "Host: 127.0.0.1 ()\tStatus: Up" in gnmap and "(interrupted)" in gnmap
    normal = outs["nmap"].read_text()
    assert "prtip scan report for 127.0.0.1" in normal and "# prtip done at " in normal
    # stdout got the same report, framed for the terminal ("prtip done: SUMMARY", as nmap's)
    assert out.endswith("prtip done: " + normal.splitlines()[-1].split(" -- ", 1)[1] + "\n")
    if a in {p["port"] for p in ports}:
        assert f"{a}/tcp" in normal
