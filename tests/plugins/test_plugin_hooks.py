"""The three plugin types in real scans (prtip.pipeline.execute against 127.0.0.1 listeners),
with the hook names exactly as the plugin document writes them."""

from __future__ import annotations

import logging

from prtip.config import ScanConfig
from prtip.model import Target
from prtip.pipeline import execute
from prtip.plugins.context import ScanContext
from prtip.timing import timing_for
from plugin_helpers import free_port, load_one, port_result, scan_with

# The document's "Example: Scan Statistics Plugin", as written.
SCAN_STATISTICS = """\
function pre_scan(targets)
prtip.log("info", string.format("Scanning %d targets", #targets))
end
function on_target(target, result)
if result.state == "open" then
prtip.log("info", string.format("Found open port: %d", result.port))
end
end
function post_scan(results)
prtip.log("info", string.format("Scan complete: %d results", #results))
end
"""

# The document's "Example: CSV Export Plugin", as written.
CSV_EXPORT = """\
function format_result(result)
return string.format("%s:%d [%s]",
result.target_ip,
result.port,
result.state)
end
function export(results, path)
local file = io.open(path, "w")
file:write("IP,Port,State\\n")
for _, result in ipairs(results) do
file:write(string.format("%s,%d,%s\\n",
result.target_ip,
result.port,
result.state))
end
file:close()
end
"""


def test_scan_statistics_example_logs_each_step(home, server, tmp_path, caplog, capsys):
    caplog.set_level(logging.INFO, logger="prtip")
    a, closed = server(), free_port()
    manager, _ = load_one(home, "scan-stats", SCAN_STATISTICS, plugin_type="scan")
    scan_with(manager.hooks(), [a.port, closed], tmp_path / "s.json")
    log = [r.getMessage() for r in caplog.records if r.name == "prtip.plugins.scan-stats"]
    assert log == ["Scanning 1 targets", f"Found open port: {a.port}", "Scan complete: 2 results"]


def test_csv_export_example_runs_as_written(home, server, tmp_path, capsys):
    a, b, closed = server(), server(), free_port()
    export = tmp_path / "results.csv"
    scan = ScanContext(export_path=str(export))
    manager, _ = load_one(home, "csv-export", CSV_EXPORT, plugin_type="output", capabilities=("filesystem",),
                          scan=scan)
    ports = sorted([a.port, b.port, closed])
    scan_with(manager.hooks(), ports, tmp_path / "s.json", randomize=False)
    stdout = capsys.readouterr().out
    states = {a.port: "open", b.port: "open", closed: "closed"}
    for port in ports:
        assert f"|_127.0.0.1:{port} [{states[port]}]" in stdout  # format_result under each port line
    rows = export.read_text().splitlines()
    assert rows[0] == "IP,Port,State"
    assert sorted(rows[1:]) == sorted(f"127.0.0.1,{p},{states[p]}" for p in ports)


def test_pre_scan_may_remove_add_and_reorder_targets(home, server, tmp_path, capsys):
    srv = server()
    manager, _ = load_one(home, "retarget", """
        function pre_scan(targets)
            for i = #targets, 1, -1 do
                if targets[i].ip == "127.0.0.3" then table.remove(targets, i) end
            end
            table.insert(targets, 1, {ip = "127.0.0.5"})   -- added first
            targets[#targets + 1] = "127.0.0.4"              -- strings work too
        end
        function on_target(target, result) prtip.add_result("ip", target.ip) end
        """, plugin_type="scan")
    out = tmp_path / "scan.json"
    config = ScanConfig(targets=("127.0.0.1", "127.0.0.3"), ports=str(srv.port), tcp_scan="connect",
                        resolve_names=False, timing=timing_for(4), outputs=(("json", str(out)),))
    hooks = manager.hooks()
    assert execute(config, hooks) == 0
    import json

    hosts = [h["address"] for h in json.loads(out.read_text())["hosts"]]
    assert hosts == ["127.0.0.5", "127.0.0.1", "127.0.0.4"]
    assert hooks.errors == []


def test_pre_scan_returned_table_is_used(home):
    manager, _ = load_one(home, "reverse", """
        function pre_scan(targets)
            local out = {}
            for i = #targets, 1, -1 do out[#out + 1] = targets[i] end
            return out
        end
        """, plugin_type="scan")
    targets = [Target("127.0.0.1", "a"), Target("127.0.0.2"), Target("127.0.0.3")]
    assert manager.hooks().pre_scan(targets) == targets[::-1]


def test_on_target_gets_target_and_result_tables_with_documented_fields(home, server, tmp_path, capsys):
    srv = server()
    manager, _ = load_one(home, "fields", """
        function on_target(target, result)
            local keys = {}
            for _, k in ipairs({"target_ip", "port", "protocol", "state", "reason"}) do
                keys[#keys + 1] = k .. "=" .. tostring(result[k])
            end
            prtip.add_result("result", table.concat(keys, " "))
            prtip.add_result("target", target.ip .. ":" .. target.port .. "/" .. target.protocol)
            prtip.add_result("has_banner_field", result.banner == nil and result.service == nil)
        end
        """, plugin_type="scan")
    got = scan_with(manager.hooks(), [srv.port], tmp_path / "s.json")
    data = got[srv.port]["plugins"]["fields"]
    assert data["result"] == f"target_ip=127.0.0.1 port={srv.port} protocol=tcp state=open reason=syn-ack"
    assert data["target"] == f"127.0.0.1:{srv.port}/tcp" and data["has_banner_field"] is True


def test_plugin_data_shows_in_normal_output(home, server, tmp_path, capsys):
    srv = server()
    manager, _ = load_one(home, "tagger", 'function on_target(t, r) prtip.add_result("answer", 42) end',
                          plugin_type="scan")
    scan_with(manager.hooks(), [srv.port], tmp_path / "s.json")
    out = capsys.readouterr().out
    assert "| tagger:\n|_  answer: 42\n" in out


def test_detection_answers_merge_by_confidence_with_the_plugin_as_method(home):
    manager, _ = load_one(home, "weak", "function analyze_banner(b) return {service = 'ftp', confidence = 0.3} end")
    _, _ = load_one(home, "strong", """
        function analyze_banner(banner)
            local v = string.match(banner, "Apache/([%d%.]+)")
            return {service = "http", product = "Apache", version = v, os_type = "Linux", confidence = 0.95}
        end
        """)
    manager.load_plugin("strong")
    hooks = manager.hooks()
    result = hooks.analyze_banner(port_result(80, banner=b"HTTP/1.1 200 OK\r\nServer: Apache/2.4.41 (Ubuntu)\r\n"))
    svc = result.service
    assert (svc.name, svc.product, svc.version, svc.os_type, svc.confidence, svc.method) == (
        "http", "Apache", "2.4.41", "Linux", 0.95, "strong")


def test_builtin_detection_wins_over_a_less_confident_plugin(home):
    from dataclasses import replace

    from prtip.service import ServiceInfo

    manager, _ = load_one(home, "guess", "function analyze_banner(b) return {service = 'http', os_type = 'Linux', confidence = 0.6} end")
    builtin = ServiceInfo("http", "nginx", "1.22.1", None, None, 0.9, "probe")
    result = replace(port_result(80, banner=b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"), service=builtin)
    svc = manager.hooks().analyze_banner(result).service
    assert (svc.product, svc.version, svc.method, svc.os_type) == ("nginx", "1.22.1", "probe", "Linux")


def test_probe_service_runs_on_open_ports_only_with_network(home, server):
    srv = server(greeting=b"+OK ready\r\n")
    manager, _ = load_one(home, "prober", """
        function probe_service(target)
            local s = prtip.connect(target.ip, target.port, 2)
            local greeting = table.concat(prtip.receive(s, 100, 2))
            prtip.close(s)
            if string.match(greeting, "^%+OK") then return {service = "pop3", confidence = 0.9} end
        end
        """, capabilities=("network",))
    _, _ = load_one(home, "offline", "function probe_service(t) return {service = 'never'} end")
    manager.load_plugin("offline")
    hooks = manager.hooks()
    hooks.pre_scan([Target("127.0.0.1")])
    assert hooks.analyze_banner(port_result(srv.port)).service.name == "pop3"
    assert hooks.analyze_banner(port_result(free_port(), state="closed")).service is None
    assert hooks.errors == []


def test_hook_names_are_exactly_the_documented_ones(home, caplog):
    caplog.set_level(logging.WARNING, logger="prtip")
    manager, plugin = load_one(home, "misnamed", """
        function post_scan(results) end
        function on_result(r) error("never called") end
        function analyze_banner(b) error("not for scan plugins") end
        """, plugin_type="scan")
    assert plugin.code.hooks == frozenset({"post_scan", "analyze_banner"})
    warnings = [r.getMessage() for r in caplog.records]
    assert "defines analyze_banner, a detection plugin hook; as a scan plugin it will not be called" in warnings
    assert "defines on_result(), which is not a prtip hook (did you mean on_target?)" in warnings
    hooks = manager.hooks()
    hooks.on_result(port_result(80, banner=b"x"))
    hooks.analyze_banner(port_result(80, banner=b"x"))
    assert hooks.errors == []


def test_a_plugin_without_any_hook_of_its_type_is_refused(home):
    import pytest

    from prtip.plugins.errors import PluginLoadError

    home.plugin("hookless", "function on_target(t, r) end")  # a detection plugin with a scan hook
    with pytest.raises(PluginLoadError, match="a detection plugin must define at least one of analyze_banner, probe_service"):
        home.manager().load_plugin("hookless")


def test_on_load_gets_the_config_table_and_on_unload_runs_at_scan_end(home, server, tmp_path, caplog, capsys):
    caplog.set_level(logging.INFO, logger="prtip")
    manager, _ = load_one(home, "configured", """
        function on_load(config)
            prtip.log("info", "threshold " .. config.threshold .. " words " .. #config.words)
            return true
        end
        function on_unload() prtip.log("info", "bye") end
        function on_target(t, r) end
        """, plugin_type="scan", extra="""
        [config]
        threshold = 3
        words = ["a", "b"]
        """)
    scan_with(manager.hooks(), [server().port], tmp_path / "s.json")
    log = [r.getMessage() for r in caplog.records if r.name == "prtip.plugins.configured"]
    assert log[0] == "threshold 3 words 2" and log[-1] == "bye"
    assert manager.loaded == {}
