"""Hostile plugins: loops, memory bombs, errors and bad values in every hook, sandbox escapes.
Each one is recorded as an error naming the plugin and hook, and the scan's results stay
exactly what they are without the plugin."""

from __future__ import annotations

import time

import pytest

from prtip.model import Target
from prtip.plugins.context import TargetRef
from plugin_helpers import free_port, load_one, port_result, scan_with

SCAN_HOOKS = ("pre_scan", "on_target", "post_scan")


def baseline(server, tmp_path, capsys):
    a, b = server(greeting=b"HTTP/1.0 200 OK\r\n\r\n"), server()
    closed = free_port()
    ports = [a.port, b.port, closed]
    clean = scan_with(None, ports, tmp_path / "clean.json")
    capsys.readouterr()
    return ports, clean


def same_results(clean: dict, got: dict) -> None:
    assert set(clean) == set(got)
    for port, p in clean.items():
        assert (got[port]["state"], got[port]["reason"], got[port]["protocol"]) == (p["state"], p["reason"], p["protocol"])


@pytest.mark.parametrize("body, kind, words", [
    ("while true do end", "limit", "instruction limit of 1000000 exceeded"),
    ("error('boom')", "lua-error", "main.lua:"),
    ("error({code = 1})", "lua-error", "(error object is a table value)"),
    ("error(setmetatable({}, {__tostring = function() while true do end end}))", "lua-error",
     "(error object is a table value)"),
    ("local t = nil; return t.x", "lua-error", "attempt to index a nil value (local 't')"),
])
def test_every_scan_and_output_hook_misbehaving_keeps_the_results(home, server, tmp_path, capsys, body, kind, words):
    ports, clean = baseline(server, tmp_path, capsys)
    for name, ptype, hooks in (("bad-scan", "scan", SCAN_HOOKS), ("bad-output", "output", ("format_result", "export"))):
        code = "\n".join(f"function {h}(a, b)\n  {body}\nend" for h in hooks)
        home.plugin(name, "-- hostile\n" + code, ptype)
    manager = home.manager(scan=None)
    from prtip.plugins.context import ScanContext

    manager.scan = ScanContext(export_path=str(tmp_path / "export.csv"))
    manager.load_plugin("bad-scan")
    manager.load_plugin("bad-output")
    hooks = manager.hooks()
    got = scan_with(hooks, ports, tmp_path / "hostile.json")
    same_results(clean, got)
    failed = {(f.plugin, f.hook) for f in hooks.faults}
    assert failed >= {("bad-scan", "pre_scan"), ("bad-scan", "on_target"), ("bad-scan", "post_scan"),
                      ("bad-output", "format_result"), ("bad-output", "export")}
    for f in hooks.faults:
        assert f.kind == kind and words in f.message, f
        assert f.file.endswith(f"{f.plugin}/main.lua")
    stdout = capsys.readouterr().out
    assert f"{ports[0]}/tcp open" in stdout.replace("  ", " ")


def test_every_detection_hook_misbehaving_keeps_the_result(home, server):
    home.plugin("bad-detect", """
        function analyze_banner(b) while true do end end
        function probe_service(t) error("probe failed") end
        """, capabilities=("network",))
    manager = home.manager()
    manager.load_plugin("bad-detect")
    hooks = manager.hooks()
    original = port_result(8080, banner=b"HTTP/1.1 200 OK\r\n")
    assert hooks.analyze_banner(original) == original
    assert [(f.hook, f.kind) for f in hooks.faults] == [("analyze_banner", "limit"), ("probe_service", "lua-error")]
    assert hooks.faults[1].line == 3 and hooks.faults[1].message == "bad-detect/main.lua:3: probe failed"


def test_runaway_recursion_is_stopped_by_the_memory_limit(home):
    # the call stack counts toward the memory limit (docs/METERING.md): at the default 100 MB a
    # runaway recursion stops there, long before Python's own stack would overflow
    manager, plugin = load_one(home, "deep", "local function f() return f() + 1 end\nfunction analyze_banner(b) f() end")
    assert not plugin.call("analyze_banner", b"x").ok
    assert manager.faults[-1].kind == "limit" and "memory limit" in manager.faults[-1].message
    assert plugin.call("analyze_banner", b"x").ok is False  # and the plugin is still callable


@pytest.mark.parametrize("where", ["main", "on_load"])
def test_loops_and_errors_at_load_time_refuse_the_plugin(home, where):
    from prtip.plugins.errors import PluginLoadError

    code = "while true do end" if where == "main" else "function on_load(c) while true do end end"
    home.plugin("stuck", code + "\nfunction analyze_banner(b) end\n")
    with pytest.raises(PluginLoadError, match="instruction limit of 1000000 exceeded"):
        home.manager().load_plugin("stuck")


def test_time_limit_stops_a_plugin_with_unlimited_instructions(home):
    home.config("""
        [plugins.limits.slowpoke]
        instructions = "unlimited"
        seconds = 0.5
        """)
    manager, plugin = load_one(home, "slowpoke", "function analyze_banner(b) while true do end end")
    start = time.monotonic()
    r = plugin.call("analyze_banner", b"x")
    elapsed = time.monotonic() - start
    assert not r.ok and manager.faults[-1].message == "time limit of 0.5 s exceeded"
    assert 0.4 < elapsed < 2.0


def test_time_limit_also_bounds_a_plugin_blocked_in_receive(home, server):
    silent = server(reply=b"")
    home.config("""
        [plugins.limits.blocker]
        seconds = 0.5
        """)
    manager, plugin = load_one(home, "blocker", """
        function probe_service(t)
            local s = prtip.connect("127.0.0.1", PORT, 5)
            local got = 0
            while true do got = got + #prtip.receive(s, 10, 60) end
        end
        """.replace("PORT", str(silent.port)), capabilities=("network",))
    start = time.monotonic()
    r = plugin.call("probe_service", None, target=TargetRef("127.0.0.1", silent.port, "tcp"))
    assert not r.ok and manager.faults[-1].message == "time limit of 0.5 s exceeded"
    assert time.monotonic() - start < 2.0


@pytest.mark.parametrize("bomb", [
    'local s = string.rep("x", 1e9)',
    'local t = {} for i = 1, 1e7 do t[i] = string.rep("y", 100) .. i end',
    'local s = "x" for i = 1, 40 do s = s .. s end',
    'local t = {} for i = 1, 1e7 do t[#t + 1] = {i} end',
    'local s = string.rep("ab", 1000) local p = {} for i = 1, 1e4 do p[i] = s end local x = table.concat(p)',
])
def test_memory_bombs_hit_the_memory_limit(home, bomb):
    home.config("""
        [plugins.limits]
        instructions = "unlimited"
        memory = "8MiB"
        seconds = 20
        """)
    manager, plugin = load_one(home, "bomber", f"function analyze_banner(b) {bomb} end")
    start = time.monotonic()
    r = plugin.call("analyze_banner", b"x")
    assert not r.ok
    assert manager.faults[-1].kind == "limit"
    assert manager.faults[-1].message == f"memory limit of {8 * 2**20} bytes exceeded"
    assert time.monotonic() - start < 15


def test_memory_limit_is_what_the_plugin_keeps_live(home):
    home.config("""
        [plugins.limits]
        memory = "4MiB"
        """)
    manager, plugin = load_one(home, "churner", """
        kept = {}
        function analyze_banner(b)
            if b == "keep" then kept[#kept + 1] = string.rep("k", 512 * 1024) .. #kept return nil end
            local tmp = string.rep("t", 512 * 1024) .. b   -- garbage after the call
            return nil
        end
        """)
    for _ in range(30):  # 15 MiB of garbage in total, never more than 0.5 MiB live
        assert plugin.call("analyze_banner", b"churn").ok, manager.faults
    results = [plugin.call("analyze_banner", b"keep").ok for _ in range(10)]
    assert results[:5] == [True] * 5 and not all(results)
    assert manager.faults[-1].message == f"memory limit of {4 * 2**20} bytes exceeded"


@pytest.mark.parametrize("ret, words", [
    ('"http"', "expected a table or nil, got a string"),
    ("{product = 'Apache'}", "field 'service' (the service name) is required"),
    ("{service = 42.5, confidence = 'high'}", "field 'confidence' must be a number, not a string"),
    ("{service = 'http', confidence = 0/0}", "field 'confidence' must be a number, not a NaN"),
    ("{service = {}}", "field 'service' must be a string, not a table"),
    ("{service = 'http', version = print}", "field 'version' must be a string, not a function"),
    ("true", "expected a table or nil, got a boolean"),
])
def test_bad_detection_answers_are_recorded_and_ignored(home, ret, words):
    manager, plugin = load_one(home, "liar", f"function analyze_banner(b) return {ret} end")
    hooks = manager.hooks()
    original = port_result(80, banner=b"HTTP/1.0 200 OK\r\n")
    assert hooks.analyze_banner(original) == original
    fault = hooks.faults[-1]
    assert (fault.plugin, fault.hook, fault.kind) == ("liar", "analyze_banner", "bad-return")
    assert words in fault.message


@pytest.mark.parametrize("value, expected", [("7", 1.0), ("-3", 0.0), ("0.25", 0.25), ("nil", 0.5)])
def test_confidence_is_clamped_and_defaults_to_half(home, value, expected):
    manager, _ = load_one(home, "clamp", f"function analyze_banner(b) return {{service = 'x', confidence = {value}}} end")
    result = manager.hooks().analyze_banner(port_result(80, banner=b"?"))
    assert result.service.confidence == expected and result.service.method == "clamp"


def test_bad_pre_scan_and_format_returns(home):
    manager, _ = load_one(home, "bad-returns", """
        function pre_scan(targets) return 42 end
        function on_target(t, r) end
        """, plugin_type="scan")
    _, _ = load_one(home, "bad-format", "function format_result(r) return {} end", plugin_type="output")
    manager.load_plugin("bad-format")
    hooks = manager.hooks()
    targets = [Target("127.0.0.1")]
    assert hooks.pre_scan(targets) == targets
    assert hooks.format_result(port_result(80)) is None
    assert [(f.hook, f.message) for f in hooks.faults] == [
        ("pre_scan", "expected a table of targets or nil, got a number"),
        ("format_result", "expected a string or nil, got a table"),
    ]


def test_pre_scan_bad_entries_are_dropped_one_by_one(home):
    manager, _ = load_one(home, "typo", """
        function pre_scan(targets)
            return {"127.0.0.1", "not an address", {ip = "127.0.0.3", hostname = "three"}, 7, {ip = "::ffff:127.0.0.4"}}
        end
        """, plugin_type="scan")
    hooks = manager.hooks()
    got = hooks.pre_scan([Target("127.0.0.1", "localhost")])
    assert got == [Target("127.0.0.1", "localhost"), Target("127.0.0.3", "three"), Target("127.0.0.4")]
    assert [f.message for f in hooks.faults] == [
        "target 2: 'not an address' is not an IP address",
        "target 4: expected an IP address string or a table with 'ip', got number",
    ]


def test_on_load_refusals(home):
    from prtip.plugins.errors import PluginLoadError

    for ret, words in (("false", "on_load returned false"), ('"no config"', "on_load refused: no config"),
                       ("{}", "on_load must return true, false or a message, not a table")):
        home.plugin("refuser", f"function on_load(c) return {ret} end\nfunction analyze_banner(b) end")
        with pytest.raises(PluginLoadError, match=words):
            home.manager().load_plugin("refuser")


ESCAPES = {
    "loadfile": "return loadfile == nil",
    "dofile": "return dofile == nil",
    "require": "return require == nil and package == nil",
    "os": "return os == nil",
    "debug": "return debug == nil",
    "string.dump": "return string.dump == nil",
    "io without capability": 'return not pcall(io.open, "/etc/passwd")',
    "binary chunk": 'local f, e = load("\\27Lua\\84\\0") return f == nil and e == "attempt to load a binary chunk (mode is \'bt\')"',
    "text-only load": 'local f = load("return 1 + 1", "x", "t") return f() == 2',
    "library tables read-only": 'return not pcall(function() string.rep = print end) and string.rep ~= print',
    "rawset on library": 'return not pcall(rawset, string, "upper", print)',
    "string metatable": 'return not pcall(setmetatable, getmetatable(""), {})',
    "no python attributes": 'return not pcall(function() return prtip.connect.__globals__ end)',
    "collectgarbage count only": 'return not pcall(collectgarbage, "collect") and type(collectgarbage("count")) == "number"',
    "file metatable protected": 'return true',
    "print goes to the log": 'print("to the log") return true',
    "_G is private": '_G.shared = true return true',
}


def test_sandbox_escape_attempts_all_fail(home):
    checks = "\n".join(f'    results[{name!r}] = (function() {code} end)()' for name, code in ESCAPES.items())
    manager, plugin = load_one(home, "escaper", f"""
        function analyze_banner(b)
            local results = {{}}
        {checks}
            local failed = {{}}
            for k, v in pairs(results) do if v ~= true then failed[#failed + 1] = k end end
            table.sort(failed)
            return {{service = "checked", info = table.concat(failed, ",")}}
        end
        """)
    answer = plugin.call("analyze_banner", b"x").first
    assert answer is not None, manager.faults
    assert answer[b"info"] == b""
    _, other = load_one(home, "neighbour", "function analyze_banner(b) return {service = tostring(shared)} end")
    assert other.call("analyze_banner", b"x").first[b"service"] == b"nil"  # no shared globals


def test_connecting_to_a_non_target_is_refused(home, server):
    srv = server()
    home.plugin("wanderer", f"""
        function probe_service(t)
            local ok, err = pcall(prtip.connect, "127.0.0.2", {srv.port}, 1)
            prtip.add_result("other", err)
            local s = prtip.connect(t.ip, t.port, 2)
            prtip.add_result("own", type(s))
            return nil
        end
        """, capabilities=("network",))
    manager = home.manager()
    manager.load_plugin("wanderer")
    hooks = manager.hooks()
    hooks.pre_scan([Target("127.0.0.1")])
    result = hooks.analyze_banner(port_result(srv.port))
    data = result.plugins["wanderer"]
    assert data["own"] == "number"
    assert "connection to 127.0.0.2 not allowed: not a target of this scan" in data["other"]


def test_operator_can_allow_more_addresses(home):
    home.config('[plugins]\nallow_connect = ["127.0.0.2/32"]\n')
    port = free_port()
    _, plugin = load_one(home, "allowed", f"""
        function probe_service(t)
            local s, why = prtip.connect("127.0.0.2", {port}, 1)
            return {{service = tostring(why)}}
        end
        """, capabilities=("network",))
    r = plugin.call("probe_service", None, target=TargetRef("127.0.0.1", port, "tcp"))
    assert r.first[b"service"] == b"connection refused"  # allowed, and nothing listens there


def test_many_faults_are_listed_once_per_plugin_then_summarized(home):
    manager, _ = load_one(home, "noisy", "function analyze_banner(b) error('always') end")
    hooks = manager.hooks()
    for port in range(1, 31):
        hooks.analyze_banner(port_result(port, banner=b"x"))
    assert len(hooks.faults) == 30
    assert len(hooks.errors) == 21 and "more errors not listed here" in hooks.errors[-1]


@pytest.mark.parametrize("body, kind", [("while true do end", "limit"), ("error('no goodbye')", "lua-error")])
def test_on_unload_misbehaving_is_logged_and_unload_completes(home, body, kind):
    manager, plugin = load_one(home, "clingy", f"function on_unload() {body} end\nfunction analyze_banner(b) end")
    code = plugin.code
    manager.unload_plugin("clingy")
    assert "clingy" not in manager.loaded and plugin.code is None
    assert [(f.hook, f.kind) for f in manager.faults] == [("on_unload", kind)]
    assert code.api.sockets.sockets == {}


def test_a_plugin_raising_in_every_hook_of_every_type(home, server, tmp_path, capsys):
    ports, clean = baseline(server, tmp_path, capsys)
    every = "\n".join(f"function {h}(...) error('{h} failed') end" for h in
                      ("on_unload", "pre_scan", "on_target", "post_scan", "format_result", "export",
                       "analyze_banner", "probe_service"))
    home.plugin("raiser", every, "scan")
    manager = home.manager()
    manager.load_plugin("raiser")
    hooks = manager.hooks()
    got = scan_with(hooks, ports, tmp_path / "raiser.json")
    same_results(clean, got)
    assert all(p["plugins"] == {} for p in got.values())
    called = sorted({f.hook for f in hooks.faults})
    assert called == ["on_target", "on_unload", "post_scan", "pre_scan"]  # a scan plugin's hooks only
    assert all(f.message == f"raiser/main.lua:{f.line}: {f.hook} failed" for f in hooks.faults)
