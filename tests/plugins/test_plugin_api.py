"""The `prtip` table with real behaviour: sockets to real servers, the real target, the real
scan settings, result data stored under the plugin's name, and the documented argument checks."""

from __future__ import annotations

import logging
import time

import pytest

from luavm.convert import to_lua

from prtip.config import ScanConfig
from prtip.plugins.context import ScanContext, TargetRef
from prtip.timing import timing_for
from plugin_helpers import free_port, load_one, port_result

NET = ("network",)


def call(plugin, hook, *args, port=80, ip="127.0.0.1"):
    ref = TargetRef(ip, port, "tcp")
    return plugin.call(hook, *args, target=ref, accepts_results=True)


def test_connect_send_receive_close_talk_to_a_real_server(home, server):
    srv = server(greeting=b"", reply=None)
    manager, plugin = load_one(home, "net-probe", """
        function probe_service(target)
            local sock = prtip.connect(target.ip, target.port, 5.0)
            assert(type(sock) == "number", "connect must return a socket id")
            local sent = prtip.send(sock, "GET / HTTP/1.0\\r\\n\\r\\n")
            local data = prtip.receive(sock, 4096, 5.0)
            local response = table.concat(data)
            prtip.add_result("sent", sent)
            prtip.add_result("response", response)
            prtip.add_result("pieces", #data)
            prtip.add_result("one_byte_each", #data[1] == 1 and #data[#data] == 1)
            prtip.close(sock)
            return {service = "echo", product = "Echo", version = "1.0", confidence = 0.9}
        end
        """, capabilities=NET)
    hooks = manager.hooks()
    result = hooks.analyze_banner(port_result(srv.port))
    data = result.plugins["net-probe"]
    assert data["sent"] == 18 and data["response"] == "echo:GET / HTTP/1.0\r\n\r\n"
    assert data["pieces"] == len("echo:GET / HTTP/1.0\r\n\r\n") and data["one_byte_each"] is True
    assert srv.received == [b"GET / HTTP/1.0\r\n\r\n"]
    svc = result.service
    assert (svc.name, svc.product, svc.version, svc.confidence, svc.method) == ("echo", "Echo", "1.0", 0.9, "net-probe")
    assert hooks.errors == []


def test_send_accepts_a_table_of_bytes_or_one_char_strings(home, server):
    srv = server()
    _, plugin = load_one(home, "bytes-send", """
        function probe_service(target)
            local s = prtip.connect(target.ip, target.port, 2)
            local n1 = prtip.send(s, {72, 73, 10})
            local first = table.concat(prtip.receive(s, 100, 2))
            local n2 = prtip.send(s, {"o", "k"})
            local second = table.concat(prtip.receive(s, 100, 2))
            return {service = first .. "|" .. second, version = tostring(n1 + n2)}
        end
        """, capabilities=NET)
    r = call(plugin, "probe_service", to_lua({"ip": "127.0.0.1", "port": srv.port}), port=srv.port)
    answer = r.first
    assert answer[b"service"] == b"echo:HI\n|echo:ok" and answer[b"version"] == b"5"


def test_receive_reports_timeout_and_closed_with_an_empty_table(home, server):
    silent = server(greeting=b"", reply=b"")  # never answers with data
    manager, plugin = load_one(home, "waiter", """
        function probe_service()
            local target = prtip.get_target()
            local s = prtip.connect(target.ip, target.port, 2)
            local data, why = prtip.receive(s, 10, 0.3)
            return {service = why .. ":" .. #data}
        end
        """, capabilities=NET)
    start = time.monotonic()
    r = call(plugin, "probe_service", None, port=silent.port)
    assert r.ok, manager.faults
    assert r.first[b"service"] == b"timeout:0"
    assert 0.25 < time.monotonic() - start < 3


def test_connect_to_a_closed_port_returns_nil_and_why(home):
    closed = free_port()
    _, plugin = load_one(home, "refused", """
        function probe_service()
            local target = prtip.get_target()
            local s, why = prtip.connect(target.ip, target.port, 2)
            return {service = tostring(s) .. "/" .. why}
        end
        """, capabilities=NET)
    assert call(plugin, "probe_service", None, port=closed).first[b"service"] == b"nil/connection refused"


def test_sockets_are_closed_when_the_hook_returns(home, server):
    srv = server()
    _, plugin = load_one(home, "leaky", """
        kept = nil
        function probe_service()
            local target = prtip.get_target()
            if kept == nil then
                kept = prtip.connect(target.ip, target.port, 2)
                return {service = "opened"}
            end
            return {service = tostring(prtip.send(kept, "again"))}
        end
        """, capabilities=NET)
    assert call(plugin, "probe_service", None, port=srv.port).first[b"service"] == b"opened"
    r = call(plugin, "probe_service", None, port=srv.port)
    assert not r.ok
    assert plugin.code.api.sockets.sockets == {}


@pytest.mark.parametrize("code, message", [
    ('prtip.connect("127.0.0.1", 0, 1)', "bad argument #2 to 'connect' (port must be between 1 and 65535)"),
    ('prtip.connect("127.0.0.1", 65536, 1)', "bad argument #2 to 'connect' (port must be between 1 and 65535)"),
    ('prtip.connect("127.0.0.1", 80.5, 1)', "bad argument #2 to 'connect' (number has no integer representation)"),
    ('prtip.connect("127.0.0.1", 80, -1)', "bad argument #3 to 'connect' (timeout must be between 0 and 60 seconds)"),
    ('prtip.connect("127.0.0.1", 80, 61)', "bad argument #3 to 'connect' (timeout must be between 0 and 60 seconds)"),
    ('prtip.connect("localhost", 80, 1)', "bad argument #1 to 'connect' (invalid IP address)"),
    ('prtip.connect(nil, 80, 1)', "bad argument #1 to 'connect' (string expected, got nil)"),
    ('prtip.receive(99, 10, 1)', "bad argument #1 to 'receive' (invalid or closed socket id)"),
    ('prtip.send(99, "x")', "bad argument #1 to 'send' (invalid or closed socket id)"),
    ('prtip.receive(prtip.connect("127.0.0.1", PORT, 1), 0, 1)',
     "bad argument #2 to 'receive' (max_bytes must be between 1 and 65536)"),
    ('prtip.receive(prtip.connect("127.0.0.1", PORT, 1), 65537, 1)',
     "bad argument #2 to 'receive' (max_bytes must be between 1 and 65536)"),
    ('prtip.receive(prtip.connect("127.0.0.1", PORT, 1), 10, 60.5)',
     "bad argument #3 to 'receive' (timeout must be between 0 and 60 seconds)"),
    ('prtip.send(prtip.connect("127.0.0.1", PORT, 1), {1, 2, 300})',
     "bad argument #2 to 'send' (element 3 of the table is not a byte (0-255 or a one-byte string))"),
    ('prtip.send(prtip.connect("127.0.0.1", PORT, 1), true)', "bad argument #2 to 'send' (string expected, got boolean)"),
    ('prtip.log("loud", "x")', "bad argument #1 to 'log' (invalid option 'loud')"),
    ('prtip.log("info")', "bad argument #2 to 'log' (string expected, got no value)"),
    ('prtip.add_result("k", print)', "bad argument #2 to 'add_result' (string, number, boolean or table expected, got function)"),
    ('prtip.add_result("", 1)', "bad argument #1 to 'add_result' (key must be 1 to 128 bytes long)"),
    # luavm's own checks (luaL_check* semantics): a float far out of range has no integer
    # representation, a string that is not a numeral is not a number
    ('prtip.connect("127.0.0.1", 1e300, 1)', "bad argument #2 to 'connect' (number has no integer representation)"),
    ('prtip.connect("127.0.0.1", PORT, "x")', "bad argument #3 to 'connect' (number expected, got string)"),
    ('prtip.close({})', "bad argument #1 to 'close' (number expected, got table)"),
])
def test_argument_checks_use_lua_wording_at_the_plugin_line(home, server, code, message):
    srv = server()
    manager, plugin = load_one(home, "checker", f"""
        function probe_service(target)
            local PORT = {srv.port}
            {code}
        end
        """, capabilities=NET)
    r = call(plugin, "probe_service", None, port=srv.port)
    assert not r.ok
    fault = manager.faults[-1]
    assert fault.message == f"checker/main.lua:4: {message}"
    assert fault.line == 4 and fault.file.endswith("checker/main.lua") and fault.kind == "lua-error"


def test_get_target_is_the_real_target_of_each_call(home):
    manager, plugin = load_one(home, "where", """
        function analyze_banner(banner)
            local t = prtip.get_target()
            prtip.add_result("target", t.ip .. ":" .. t.port .. "/" .. t.protocol)
            return nil
        end
        """)
    hooks = manager.hooks()
    a = hooks.analyze_banner(port_result(8080, banner=b"x", host="127.0.0.1"))
    b = hooks.analyze_banner(port_result(2222, banner=b"y", host="127.0.0.3"))
    assert a.plugins["where"]["target"] == "127.0.0.1:8080/tcp"
    assert b.plugins["where"]["target"] == "127.0.0.3:2222/tcp"


def test_scan_config_holds_the_real_scan_settings(home):
    config = ScanConfig(targets=("127.0.0.1",), tcp_scan="syn", verbosity=1,
                        timing=timing_for(4, max_rate=250.0))
    scan = ScanContext.from_config(config)
    _, plugin = load_one(home, "settings", """
        function analyze_banner(banner)
            local c = prtip.scan_config
            return {service = c.scan_type, version = tostring(c.rate), info = tostring(c.timing),
                    product = tostring(c.verbose)}
        end
        """, scan=scan)
    answer = call(plugin, "analyze_banner", b"x").first
    assert answer[b"service"] == b"syn" and answer[b"version"] == b"250.0"
    assert answer[b"info"] == b"4" and answer[b"product"] == b"true"


def test_log_levels_reach_the_logger(home, caplog):
    caplog.set_level(logging.DEBUG, logger="prtip")
    _, plugin = load_one(home, "talker", """
        function analyze_banner(banner)
            prtip.log("debug", "d") prtip.log("info", "i") prtip.log("warn", "w")
            prtip.log("error", "e\\nforged line")
            print("printed", 42)
        end
        """)
    call(plugin, "analyze_banner", b"x")
    got = [(r.name, r.levelno, r.getMessage()) for r in caplog.records if r.name == "prtip.plugins.talker"]
    assert ("prtip.plugins.talker", logging.DEBUG, "d") in got
    assert ("prtip.plugins.talker", logging.INFO, "i") in got
    assert ("prtip.plugins.talker", logging.WARNING, "w") in got
    assert ("prtip.plugins.talker", logging.ERROR, "e\\nforged line") in got  # no log injection
    assert ("prtip.plugins.talker", logging.INFO, "print: printed\\t42") in got


def test_add_result_needs_a_port_result(home):
    manager, plugin = load_one(home, "adder", """
        function pre_scan(targets) prtip.add_result("x", 1) end
        function on_target(target, result) prtip.add_result("seen", {port = result.port, tags = {"a", "b"}}) end
        """, plugin_type="scan")
    from prtip.model import Target

    hooks = manager.hooks()
    assert hooks.pre_scan([Target("127.0.0.1")]) == [Target("127.0.0.1")]
    assert "add_result needs a port result, and pre_scan has none" in hooks.errors[0]
    r = hooks.on_result(port_result(443))
    assert r.plugins == {"adder": {"seen": {"port": 443, "tags": ["a", "b"]}}}



def test_numeric_strings_are_accepted_where_numbers_are_as_in_lua(home, server):
    srv = server(greeting=b"hello", reply=None)
    _, plugin = load_one(home, "coerce", f"""
        function probe_service(target)
            local sock = prtip.connect("127.0.0.1", "{srv.port}", "2")
            local data = prtip.receive(tostring(sock), "5", "2.5")
            return {{service = table.concat(data)}}
        end
        """, capabilities=NET)
    assert call(plugin, "probe_service", None, port=srv.port).first[b"service"] == b"hello"
