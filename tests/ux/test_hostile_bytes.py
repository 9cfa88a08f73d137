"""Issue 13, items 1-2: a service sending every byte 0x00-0xff, and a detection plugin storing
part of its banner and returning it as the product, give outputs every tool can read: XML that
xmllint and python-libnmap accept, terminal/-oN/-oG text with control bytes escaped, -oG with
exactly one line per host; plugin values rendered with Lua's spelling and as NSE's
<elem>/<table> structured output."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

from ux_helpers import ALL_BYTES, libnmap_report, prtip, write_plugin, xmllint_ok

SCAN = "-sS" if os.geteuid() == 0 else "-sT"

HOSTILE = r"""
function analyze_banner(banner)
    prtip.add_result("first_line", string.match(banner, "^[^\n]*"))
    prtip.add_result("raw", banner)
    prtip.add_result("scan_open", true)
    prtip.add_result("config", { type = "connect", timing = 4 })
    prtip.add_result("probes", { "probe", "http-head" })
    prtip.add_result("ratio", 1.5)
    return { service = "weird", product = banner, version = "1\n2", info = "\27]0;pwned\7",
             confidence = 0.9 }
end
"""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what must never reach a terminal or -oG raw


def scan_all_bytes(home, server, tmp_path):
    write_plugin(home.plugins, "hostile", HOSTILE)
    svc = server(greeting=ALL_BYTES)
    base = tmp_path / "out"
    run = prtip(home, SCAN, "-sV", "-p", str(svc.port), "127.0.0.1", "--plugin", "hostile", "-oA", str(base))
    assert run.status == 0, run.err
    return svc, base, run


def test_every_output_survives_every_byte(home, server, tmp_path):
    svc, base, run = scan_all_bytes(home, server, tmp_path)
    xml_path = tmp_path / "out.xml"

    # XML: well-formed for xmllint, python's parser and python-libnmap, values still there
    xmllint_ok(xml_path)
    root = ET.parse(xml_path).getroot()
    service = root.find(".//port/service")
    assert service is not None and service.get("name") == "weird"
    assert service.get("product").startswith("\\x00\\x01\\x02")  # escaped as nmap does, not dropped
    assert "\\x1b" in service.get("product") and "\\x1f !" in service.get("product")
    report = libnmap_report(xml_path)
    port = report.hosts[0].get_service(svc.port, "tcp")
    assert port is not None and port.state == "open" and port.service == "weird"
    scripts = {s["id"]: s for s in port.scripts_results}
    assert "hostile" in scripts

    # terminal and -oN: no control byte at all (newlines only between lines), no raw ESC/BEL/CR
    normal = (tmp_path / "out.nmap").read_text()
    for text in (run.out, normal):
        assert not CONTROL.search(text), repr(CONTROL.search(text))
        assert "\r" not in text
        port_line = next(line for line in text.splitlines() if line.startswith(f"{svc.port}/tcp"))
        assert "1\\n2" in port_line and "\\x1b]0;pwned\\x07" in port_line  # version "1\n2" stays on its line
        assert "|   first_line: \\x00\\x01" in text
        assert "|   scan_open: true" in text and "True" not in text

    # -oG: exactly the host lines nmap writes (Status, Ports), comments, nothing else
    gnmap = (tmp_path / "out.gnmap").read_text().splitlines()
    assert [line for line in gnmap if not line.startswith("#")] == [
        line for line in gnmap if line.startswith("Host: 127.0.0.1 ")]
    assert len([line for line in gnmap if "\tPorts: " in line]) == 1
    assert not any(CONTROL.search(line) for line in gnmap)
    ports_field = next(line for line in gnmap if "\tPorts: " in line).split("\tPorts: ", 1)[1]
    assert "\t" not in ports_field.split("\tIgnored State: ")[0]  # a value never adds a field

    # JSON keeps the stored data as JSON (real booleans, numbers, arrays)
    doc = json.loads((tmp_path / "out.json").read_text())
    data = doc["hosts"][0]["ports"][0]["plugins"]["hostile"]
    assert data["scan_open"] is True and data["probes"] == ["probe", "http-head"]
    assert data["config"] == {"type": "connect", "timing": 4} and data["ratio"] == 1.5
    assert data["first_line"] == "".join(map(chr, range(10)))


def test_plugin_values_read_like_lua_in_text_and_like_nse_in_xml(home, server, tmp_path):
    svc, base, run = scan_all_bytes(home, server, tmp_path)
    script = ET.parse(tmp_path / "out.xml").getroot().find(".//port/script[@id='hostile']")
    assert script is not None
    elems = {e.get("key"): e for e in script if e.tag == "elem"}
    tables = {t.get("key"): t for t in script if t.tag == "table"}
    assert elems["scan_open"].text == "true" and elems["ratio"].text == "1.5"
    assert {e.get("key"): e.text for e in tables["config"]} == {"type": "connect", "timing": "4"}
    assert [(e.tag, e.get("key"), e.text) for e in tables["probes"]] == [
        ("elem", None, "probe"), ("elem", None, "http-head")]
    output = script.get("output")
    assert "True" not in output and "{'" not in output and "['" not in output
    assert "  scan_open: true" in output.splitlines()
    assert "  config:" in output.splitlines() and "    timing: 4" in output.splitlines()
    assert "    probe" in output.splitlines()
    # normal output shows the same lines, framed as NSE frames script output
    lines = run.out.splitlines()
    start = lines.index("| hostile:")
    block = [line[2:] for line in lines[start + 1:start + 1 + len(output.splitlines())]]
    assert block == output.splitlines()
