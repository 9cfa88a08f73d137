"""The plugin document's Quick Start and examples followed step by step through the prtip
command, with $PRTIP_HOME standing in for ~/.prtip and real servers on 127.0.0.1."""

from __future__ import annotations

import json
import os

import pytest

from plugin_helpers import free_port, prtip, write_plugin
from test_plugin_hooks import CSV_EXPORT

QUICK_TOML = """\
[plugin]
name = "my-plugin"
version = "1.0.0"
author = "Your Name"
description = "My first ProRT-IP plugin"
plugin_type = "detection"
capabilities = []
"""

QUICK_MAIN = """\
function on_load(config)
prtip.log("info", "Plugin loaded")
return true
end
function on_unload()
prtip.log("info", "Plugin unloaded")
end
function analyze_banner(banner)
if string.match(banner, "HTTP") then
return {
service = "http",
confidence = 0.8
}
end
return nil
end
"""

SCAN_FLAG = "-sS" if os.geteuid() == 0 else "-sT"


def quick_start(home):
    """Steps 1-3: mkdir -p ~/.prtip/plugins/my-plugin, plugin.toml and main.lua as written."""
    folder = home.plugins / "my-plugin"
    folder.mkdir(parents=True)
    (folder / "plugin.toml").write_text(QUICK_TOML)
    (folder / "main.lua").write_text(QUICK_MAIN)


def test_quick_start_step_4_lists_the_plugin(home):
    quick_start(home)
    run = prtip(home, "--list-plugins")
    assert run.status == 0, run.err
    assert any(line.startswith("my-plugin v1.0.0 (detection)") for line in run.out.splitlines())


def test_quick_start_real_scan_loads_logs_and_unloads(home, server, tmp_path):
    quick_start(home)
    web = server(greeting=b"HTTP/1.0 200 OK\r\nServer: quickstart\r\n\r\n")
    out = tmp_path / "scan.json"
    run = prtip(home, SCAN_FLAG, "-p", str(web.port), "127.0.0.1", "--plugin", "my-plugin", "-oJ", str(out))
    assert run.status == 0, run.err
    assert f"{web.port}/tcp open" in run.out.replace("  ", " ")
    port = json.loads(out.read_text())["hosts"][0]["ports"][0]
    # no -sV: naming a detection plugin reads the banner, and analyze_banner saw "HTTP"
    assert port["banner"].startswith("HTTP/1.0 200 OK")
    assert port["service"]["name"] == "http" and port["service"]["method"] == "my-plugin"
    assert port["service"]["confidence"] == 0.8
    log = home.log.read_text()
    assert "plugin my-plugin: Plugin loaded" in log and "plugin my-plugin: Plugin unloaded" in log
    assert log.index("Plugin loaded") < log.index("Plugin unloaded")
    assert json.loads(out.read_text())["errors"] == []


def test_silent_service_gets_an_http_request_for_detection_plugins(home, server, tmp_path):
    quick_start(home)
    web = server(reply=b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")  # speaks only when asked
    out = tmp_path / "scan.json"
    run = prtip(home, "-sT", "-p", str(web.port), "127.0.0.1", "--plugin", "my-plugin", "-oJ", str(out))
    assert run.status == 0, run.err
    port = json.loads(out.read_text())["hosts"][0]["ports"][0]
    assert web.received and web.received[0].startswith(b"GET / HTTP/1.")
    assert port["service"]["name"] == "http" and port["service"]["method"] == "my-plugin"


def test_detection_plugin_answer_shows_in_json_with_the_plugin_as_method(home, server, tmp_path):
    write_plugin(home.plugins, "odd-detector", """
        function analyze_banner(banner)
            if string.match(banner, "^ODD%-PROTO/(%d+)") then
                return {service = "oddproto", product = "Odd Server", version = string.match(banner, "/(%d+)"),
                        confidence = 0.9}
            end
        end
        """)
    odd = server(greeting=b"ODD-PROTO/7 ready\r\n")
    out = tmp_path / "scan.json"
    run = prtip(home, "-sT", "-sV", "-p", str(odd.port), "127.0.0.1", "--plugin", "odd-detector", "-oJ", str(out))
    assert run.status == 0, run.err
    port = json.loads(out.read_text())["hosts"][0]["ports"][0]
    assert port["service"]["name"] == "oddproto" and port["service"]["method"] == "odd-detector"
    assert port["service"]["product"] == "Odd Server" and port["service"]["version"] == "7"
    assert port["service"]["confidence"] == 0.9


def test_csv_export_through_the_command(home, server, tmp_path):
    write_plugin(home.plugins, "csv-export", CSV_EXPORT, "output", ("filesystem",))
    a, closed = server(), free_port()
    export = home.path / "export.csv"  # given relative to the working directory, as users do
    run = prtip(home, "-sT", "-p", f"{a.port},{closed}", "127.0.0.1", "--plugin", "csv-export",
                "--plugin-output", "export.csv")
    assert run.status == 0, run.err
    assert f"|_127.0.0.1:{a.port} [open]" in run.out and f"|_127.0.0.1:{closed} [closed]" in run.out
    assert sorted(export.read_text().splitlines()) == sorted(
        ["IP,Port,State", f"127.0.0.1,{a.port},open", f"127.0.0.1,{closed},closed"])


# An output plugin that numbers its calls: the text shows how many times format_result ran.
COUNTING_FORMAT = """\
local calls = 0
function format_result(result)
calls = calls + 1
return string.format("call %d: %s:%d", calls, result.target_ip, result.port)
end
"""


def test_format_result_runs_once_per_port_for_stdout_and_an_oN_file(home, server, tmp_path):
    write_plugin(home.plugins, "counter", COUNTING_FORMAT, "output")
    a, b, closed = server(), server(), free_port()
    ports = sorted([a.port, b.port, closed])
    normal = tmp_path / "scan.nmap"
    run = prtip(home, "-sT", "-p", ",".join(map(str, ports)), "127.0.0.1", "--plugin", "counter",
                "-oN", str(normal))
    assert run.status == 0, run.err
    file = normal.read_text()
    # the text is asked once per port, in port order, and both outputs print that same text
    for n, port in enumerate(ports, 1):
        line = f"|_call {n}: 127.0.0.1:{port}\n"
        assert line in run.out and line in file, (run.out, file)
    assert f"call {len(ports) + 1}:" not in run.out + file


def test_plugin_errors_land_in_the_json_errors_and_results_survive(home, server, tmp_path):
    write_plugin(home.plugins, "crashy", """
        function on_target(target, result)
            error("crashed on " .. result.port)
        end
        """, "scan")
    write_plugin(home.plugins, "fine", 'function on_target(t, r) prtip.add_result("ok", true) end', "scan")
    a = server()
    out = tmp_path / "scan.json"
    run = prtip(home, "-sT", "-p", str(a.port), "127.0.0.1", "--plugin", "crashy,fine", "-oJ", str(out))
    assert run.status == 0, run.err
    doc = json.loads(out.read_text())
    port = doc["hosts"][0]["ports"][0]
    assert port["state"] == "open" and port["plugins"] == {"fine": {"ok": True}}
    assert doc["errors"] == [f"plugin crashy: on_target (127.0.0.1:{a.port}/tcp): lua-error: "
                             f"crashy/main.lua:3: crashed on {a.port} [{home.plugins / 'crashy' / 'main.lua'}:3]"]
    assert f"crashy/main.lua:3: crashed on {a.port}" in run.err


def test_added_results_show_in_json_xml_and_normal_output(home, server, tmp_path):
    import xml.etree.ElementTree as ET

    write_plugin(home.plugins, "tagger", 'function on_target(t, r) prtip.add_result("seen_port", r.port) end', "scan")
    a = server()
    base = tmp_path / "all"
    run = prtip(home, "-sT", "-p", str(a.port), "127.0.0.1", "--plugin", "tagger", "-oA", str(base))
    assert run.status == 0, run.err
    assert f"| tagger:\n|_  seen_port: {a.port}\n" in run.out
    doc = json.loads((tmp_path / "all.json").read_text())
    assert doc["hosts"][0]["ports"][0]["plugins"] == {"tagger": {"seen_port": a.port}}
    script = ET.parse(tmp_path / "all.xml").getroot().find(".//port/script")
    assert script is not None and script.get("id") == "tagger" and str(a.port) in script.get("output")


def test_broken_plugin_does_not_stop_the_scan_or_the_others(home, server, tmp_path):
    bad = write_plugin(home.plugins, "broken", "function on_target(t, r) end", "scan")
    (bad / "main.lua").write_text("function on_target(t, r)\n  this is not lua\nend\n")
    write_plugin(home.plugins, "fine", 'function on_target(t, r) prtip.add_result("ok", true) end', "scan")
    a = server()
    out = tmp_path / "scan.json"
    run = prtip(home, "-sT", "-p", str(a.port), "127.0.0.1", "--plugin", "broken", "--plugin", "fine", "-oJ", str(out))
    assert run.status == 0, run.err
    doc = json.loads(out.read_text())
    assert doc["hosts"][0]["ports"][0]["plugins"] == {"fine": {"ok": True}}
    assert any("plugin broken: load" in e and "broken/main.lua:2:" in e for e in doc["errors"])
    assert "broken/main.lua:2:" in run.err


def test_unknown_plugin_is_a_usage_error(home):
    run = prtip(home, "-sT", "-p", "1", "127.0.0.1", "--plugin", "no-such-plugin")
    assert run.status == 2
    assert "unknown plugin 'no-such-plugin'" in run.err and "--list-plugins" in run.err


@pytest.mark.parametrize("name", ["../evil", "a/b", "UPPER"])
def test_plugin_names_with_path_tricks_are_unknown(home, name):
    run = prtip(home, "-sT", "-p", "1", "127.0.0.1", "--plugin", name)
    assert run.status == 2 and "unknown plugin" in run.err


def test_logs_go_to_a_rotated_file_under_prtip_home_and_to_stderr_by_level(home):
    import logging
    import logging.handlers

    from prtip.plugins.integration import _handlers, _LogFile, setup_logging

    root = logging.getLogger("prtip")
    try:
        setup_logging("error", home=home.path)
        (log_file,) = [h for h in _handlers if isinstance(h, _LogFile)]
        assert log_file.level == logging.INFO  # the file always gets info and up
        logging.getLogger("prtip.test").info("the first record opens the file")
        rotating = log_file.file
        assert isinstance(rotating, logging.handlers.RotatingFileHandler) and rotating.baseFilename == str(home.log)
        assert rotating.maxBytes > 0 and rotating.backupCount > 0
        assert "info prtip.test: the first record opens the file" in home.log.read_text()
        stderr = [h for h in _handlers if type(h) is logging.StreamHandler]
        assert stderr[0].level == logging.ERROR
    finally:
        for h in list(_handlers):
            root.removeHandler(h)
            h.close()
        _handlers.clear()
        root.propagate = True
        root.setLevel(logging.NOTSET)
    run = prtip(home, "--log-level", "info", "--list-plugins")
    assert run.status == 0 and home.log.exists()
