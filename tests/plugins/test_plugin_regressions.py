"""The failures of the plugin engine we are measured against, one test each (issue 6):
connect returned a constant, receive returned nothing, get_target returned 0.0.0.0, the CPU
limit was never enforced, the instruction budget was cumulative, hook names differed between
code and docs, loadfile read any file, and the banner analyzer called Postfix FTP."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from prtip.model import Target
from prtip.plugins.context import TargetRef
from prtip.plugins.host import HOOKS, LIFECYCLE
from plugin_helpers import ROOT, load_one, port_result

SPEC = Path("/work/shared/spec/plugin-system.txt")


def probe(plugin, port: int):
    """probe_service({ip, port, protocol}) the way PluginHooks calls it."""
    from luavm.convert import to_lua

    ref = TargetRef("127.0.0.1", port, "tcp")
    return plugin.call("probe_service", to_lua(ref.as_lua_data()), target=ref, accepts_results=True)


def test_connect_returns_a_real_socket(home, server):
    srv = server()
    _, plugin = load_one(home, "r-connect", """
        function probe_service(t)
            local a = prtip.connect(t.ip, t.port, 2)
            local b = prtip.connect(t.ip, t.port, 2)
            prtip.send(a, "first")
            prtip.send(b, "second")
            return {service = tostring(a) .. "," .. tostring(b) .. "," .. table.concat(prtip.receive(b, 64, 2))}
        end
        """, capabilities=("network",))
    r = probe(plugin, srv.port)
    a, b, reply = r.first[b"service"].split(b",", 2)
    assert a != b and reply == b"echo:second"
    assert sorted(srv.received) == [b"first", b"second"]


def test_receive_returns_the_real_data(home, server):
    payload = bytes(range(256))
    srv = server(greeting=payload)
    _, plugin = load_one(home, "r-receive", """
        function probe_service(t)
            local s = prtip.connect(t.ip, t.port, 2)
            local got = {}
            while #got < 256 do
                local piece = prtip.receive(s, 65536, 2)
                if #piece == 0 then break end
                for _, byte in ipairs(piece) do got[#got + 1] = byte end
            end
            return {service = table.concat(got)}
        end
        """, capabilities=("network",))
    r = probe(plugin, srv.port)
    assert r.first[b"service"] == payload


def test_get_target_returns_the_real_target(home):
    manager, _ = load_one(home, "r-target", """
        function on_target(target, result)
            local t = prtip.get_target()
            prtip.add_result("t", t.ip .. " " .. t.port .. " " .. t.protocol)
        end
        """, plugin_type="scan")
    got = manager.hooks().on_result(port_result(8443, host="127.0.0.9"))
    assert got.plugins["r-target"]["t"] == "127.0.0.9 8443 tcp"


def test_cpu_limit_is_enforced(home):
    home.config('[plugins.limits]\ninstructions = "unlimited"\nseconds = 0.3\n')
    manager, plugin = load_one(home, "r-cpu", "function analyze_banner(b) local x = 0 while true do x = x + 1 end end")
    start = time.monotonic()
    assert not plugin.call("analyze_banner", b"x").ok
    assert time.monotonic() - start < 1.5
    assert manager.faults[-1].message == "time limit of 0.3 s exceeded"


def test_instruction_budget_is_per_call_not_cumulative(home):
    manager, plugin = load_one(home, "r-budget", """
        function analyze_banner(b) local x = 0 for i = 1, 300000 do x = x + i end return {service = "s"} end
        """)
    for _ in range(10):  # 10 x ~600k instructions under a 1,000,000 limit
        assert plugin.call("analyze_banner", b"x").ok, manager.faults


def test_hook_names_in_code_match_the_document_and_the_guide():
    code = set(LIFECYCLE) | {h for hooks in HOOKS.values() for h in hooks}
    guide = (ROOT / "docs" / "PLUGINS.md").read_text()
    for hook in code:
        assert f"function {hook}(" in guide, hook
    if SPEC.exists():
        documented = set(re.findall(r"^function (\w+)\(", SPEC.read_text(), re.M))
        assert code <= documented
        assert {"pre_scan", "on_target", "post_scan", "format_result", "export", "analyze_banner",
                "probe_service", "on_load", "on_unload"} == code


def test_loadfile_is_absent_and_no_file_can_be_read(home):
    _, plugin = load_one(home, "r-loadfile", """
        function analyze_banner(b)
            local found = {}
            for _, name in ipairs({"loadfile", "dofile", "require", "os", "package", "debug"}) do
                if _G[name] ~= nil then found[#found + 1] = name end
            end
            local ok = pcall(io.open, "/etc/passwd")
            return {service = "probe", info = table.concat(found, ",") .. "|" .. tostring(ok)}
        end
        """)
    assert plugin.call("analyze_banner", b"x").first[b"info"] == b"|false"


def test_banner_analyzer_calls_postfix_smtp(home):
    example = ROOT / "examples" / "plugins" / "banner-analyzer"
    from prtip.plugins.manager import PluginManager

    manager = PluginManager([example.parent], settings=home.settings())
    manager.load_plugin("banner-analyzer")
    hooks = manager.hooks()
    hooks.pre_scan([Target("127.0.0.1")])
    result = hooks.analyze_banner(port_result(25, banner=b"220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n"))
    assert result.service is not None and result.service.name == "smtp"
    # nmap's product name, which the built-in -sV and the corpus truth use too
    assert result.service.product == "Postfix smtpd" and result.service.method == "banner-analyzer"
