"""Issue 11 through whole scans: every attack of the issue in a plugin hook of a real `prtip` scan.

For each row, a scan plugin ("attack") runs the row's attack in its first on_target call,
while a second plugin ("bystander") notes every port. The scan — the `prtip` command against
real listeners on 127.0.0.1, with every output and --db — must end with status 0, write every
port result to every output with the bystander's data, take at most 5.1 s per limited hook
call, stay under 3x the attack plugin's memory limit above a clean scan's peak RSS, and leave
no process behind. Rows 14-17 (the host's own rows) have their own tests below.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

import pytest

from plugin_helpers import Home, Server, free_port, write_plugin
from scan_harness import Scan, assert_every_result_written, hook_seconds, run_scan

MIB = 2**20
LIMIT_SECONDS = 5.0
PER_CALL = 5.1  # issue 11: a 5 s limit stops within 5.1 s
START_SLACK = 4.0  # s: interpreter start-up and scheduling noise on a loaded machine, over the clean scan
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]")  # all C0 but the line end, DEL, C1

BYSTANDER = """
function on_target(target, result)
    prtip.add_result("seen", target.port)
end
"""

ATTACK = """
local done = false
function on_target(target, result)
    if done then return end
    done = true
%s
    prtip.add_result("finished", true)
end
"""


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """Listeners shared by the module's scans, and a clean scan's figures to compare with."""
    a, b = Server(greeting=b"HTTP/1.0 200 OK\r\nServer: issue11\r\n\r\n"), Server()
    closed = free_port()
    expected = {a.port: "open", b.port: "open", closed: "closed"}
    home = new_home(tmp_path_factory.mktemp("baseline"))
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    base = run_scan(home, list(expected), ["bystander"], home.path / "scan")
    assert_every_result_written(base, expected)
    yield expected, base
    a.close()
    b.close()


def new_home(path: Path, memory: str = "32MiB", attack_memory: str | None = None, extra: str = "") -> Home:
    home = Home(path / "prtip-home")
    home.plugins.mkdir(parents=True, exist_ok=True)
    text = f'[plugins.limits]\nmemory = "{memory}"\n'
    if attack_memory:
        text += f'\n[plugins.limits.attack]\nmemory = "{attack_memory}"\n'
    home.config(text + extra)
    return home


def check_scan(scan: Scan, bench, memory_limit: int, limited_calls: int = 1) -> None:
    """The promises every row shares (see the module docstring)."""
    expected, base = bench
    assert scan.status is not None, f"scan hung: killed after {scan.wall:.0f} s; stderr: {scan.err[-2000:]}"
    assert_every_result_written(scan, expected)
    ports = scan.ports()
    assert {p: r["plugins"].get("bystander", {}).get("seen") for p, r in ports.items()} == {p: p for p in expected}
    slow = hook_seconds(scan.log, "attack")
    for took in slow:
        assert took <= PER_CALL, f"a hook call took {took} s"
    # a plugin whose call had to be abandoned is loaded afresh, so it may be limited again
    assert scan.wall <= base.wall + max(limited_calls, len(slow)) * PER_CALL + START_SLACK, scan.wall
    grown = scan.peak_rss - base.peak_rss
    assert grown < 3 * memory_limit, f"peak RSS {scan.peak_rss / MIB:.0f} MiB, {grown / MIB:.0f} MiB above a clean scan"
    assert not scan.leftovers, "processes of the scan outlived it"
    assert not CONTROL.search(scan.err) and not CONTROL.search(scan.log)
    internal = [e for e in scan.json()["errors"] if ": internal: " in e]
    assert not internal, internal


def faults(scan: Scan, plugin: str = "attack") -> list[str]:
    return [e for e in scan.json()["errors"] if e.startswith(f"plugin {plugin}: ")]


# ---------------------------------------------------------------- the luavm rows (1-13, 18)

# (row, attack in the first on_target call, memory limit of the attack plugin, outcome)
# outcome "fails": the call must end in a Lua error or a limit; "limit": in a limit;
# "any": finishing normally is also right (PUC Lua finishes it too).
ROWS = [
    pytest.param(1, """
    local mt = {}
    mt.__tostring = function() print(setmetatable({}, mt)) return "x" end
    coroutine.wrap(function() print(setmetatable({}, mt)) end)()
    """, "32MiB", "fails", id="row01-print-tostring-recursion-in-coroutine"),
    pytest.param(2, """
    local B = coroutine.create(function()
        local x <close> = setmetatable({}, {__close = function() coroutine.yield() end})
        coroutine.yield()
    end)
    coroutine.resume(B)
    coroutine.wrap(function() coroutine.close(B); coroutine.close(B) end)()
    coroutine.close(B)
    """, "32MiB", "any", id="row02-close-coroutine-whose-close-yields"),
    pytest.param(3, """
    local s = string.rep("\\x80", 1000000)
    local f = utf8.codes(s)
    for i = 1, 1e9 do pcall(f, s, 0) end
    """, "32MiB", "limit", id="row03-utf8-codes-iterator"),
    pytest.param(4, """
    for i = 1, 100 do tonumber(string.rep("z", 600000), 36) end
    """, "32MiB", "limit", id="row04-tonumber-base-36"),
    pytest.param(5, """
    local function deep(n)
        if n == 0 then while true do pcall(error, "x", 1e9) end end
        return deep(n - 1) + 0
    end
    deep(100000)
    """, "32MiB", "fails", id="row05-error-level-at-depth"),
    pytest.param(6, """
    local limit, keep, chunk = 32 * 1024 * 1024, {}, 1 << 20
    while chunk >= 64 do
        while collectgarbage("count") * 1024 + chunk + 400 < limit do keep[#keep + 1] = string.rep("y", chunk) end
        chunk = chunk // 2
    end
    while true do local y = {} end
    """, "32MiB", "limit", id="row06-allocate-near-the-memory-limit"),
    pytest.param(7, """
    local f = load(string.rep("x = {{{{{{{{{{}}}}}}}}}} ", 40000))
    if f then f() end
    """, "32MiB", "any", id="row07-load-a-nested-megabyte"),
    pytest.param(8, """
    for i = 1, 1000 do
        local co = coroutine.create(function() local t = string.rep("x", 6000000); coroutine.yield(t) end)
        coroutine.resume(co)
    end
    """, "10MiB", "any", id="row08-dropped-coroutines-holding-memory"),
    pytest.param(9, """
    local s, t = string.rep("x", 1 << 20), {}
    for i = 1, 5000 do t[i] = s end
    print(table.unpack(t))
    """, "10MiB", "limit", id="row09-print-unpack-one-string-many-times"),
    pytest.param(10, """
    string.gsub(string.rep("a", 1000), "(a-)", string.rep("%1", 100000))
    """, "10MiB", "limit", id="row10-gsub-parts-list"),
    pytest.param(11, """
    for i = 1, 60000 do load("return " .. i) end
    """, "32MiB", "any", id="row11-many-distinct-loads"),
    pytest.param(12, """
    local t = {}
    for i = 1, 1000000 do t[i] = i end
    while true do next(t); next(t, 1) end
    """, "32MiB", "limit", id="row12-next-on-a-big-table"),
    pytest.param(13, """
    local caught
    local function f()
        local ok = pcall(f)
        if not ok and not caught then
            local ok2, e = pcall(string.rep, "x", 2e8)
            caught = tostring(e)
            prtip.add_result("caught", caught)
        end
        error("unwind", 0)
    end
    pcall(f)
    """, "32MiB", "limit", id="row13-memory-limit-at-the-stack-overflow-boundary"),
]

# Every row's scan-level promise holds (rows 1 and 13 through the call stack counting toward
# the memory limit, meter.STACK_FRAME_BYTES per Python frame).
@pytest.mark.parametrize("row, attack, memory, outcome", ROWS)
def test_a_luavm_attack_in_a_hook_never_costs_the_scan(tmp_path, bench, row, attack, memory, outcome):
    home = new_home(tmp_path, attack_memory=memory)
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    write_plugin(home.plugins, "attack", ATTACK % attack, "scan")
    scan = run_scan(home, list(bench[0]), ["attack", "bystander"], tmp_path / "scan")
    limit = int(memory[:-3]) * MIB
    check_scan(scan, bench, limit)
    finished = [p for p, r in scan.ports().items() if r["plugins"].get("attack", {}).get("finished")]
    errors = faults(scan)
    if outcome == "any":
        assert finished or errors
    else:
        assert not finished and len(errors) == 1, errors
        assert ": on_target (" in errors[0]
        assert (": limit: " in errors[0]) if outcome == "limit" else (": limit: " in errors[0] or ": lua-error: " in errors[0])
    assert not any("caught" in r["plugins"].get("attack", {}) for r in scan.ports().values())


DETERMINISM = """
local n = 0
function on_target(target, result)
    n = n + 1
    local t = {}
    for i = 1, tonumber(string.match(tostring({}), "0x(%x+)"), 16) % 5000 do t[i] = {} end
    prtip.add_result("address", tostring({}) .. " " .. tostring(t) .. " " .. n)
end
"""


def test_row18_addresses_and_so_counts_are_the_same_in_every_scan(tmp_path, bench):
    seen = []
    for run in range(2):
        home = new_home(tmp_path / str(run))
        write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
        write_plugin(home.plugins, "attack", DETERMINISM, "scan")
        scan = run_scan(home, list(bench[0]), ["attack", "bystander"], tmp_path / str(run) / "scan")
        check_scan(scan, bench, 32 * MIB)
        seen.append(sorted(r["plugins"]["attack"]["address"].split(" ", 1)[1] for r in scan.ports().values()))
    assert seen[0] == seen[1]


# ---------------------------------------------------------------- the host's rows (14-17)

FORGED = "x\\n2099-01-01 00:00:00,000 error plugin other: FORGED \\27[31mRED"
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (debug|info|warning|error|critical) |  \| )")


def test_row14_plugin_and_banner_text_cannot_forge_log_lines_or_reach_the_terminal_raw(tmp_path, bench, server):
    home = new_home(tmp_path)
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    write_plugin(home.plugins, "attack", f"""
        function pre_scan(targets)
            prtip.log("warn", "{FORGED}")
            print("{FORGED}")
        end
        function on_target(target, result) error("{FORGED}", 0) end
        """, "scan")
    write_plugin(home.plugins, "banner-log", """
        function analyze_banner(banner) prtip.log("error", banner) end
        """)
    evil = server(greeting=b"SSH-2.0\x1b]0;owned\x07\n2099-01-01 00:00:00,000 error plugin other: FORGED\x9b31m\r\n")
    expected = dict(bench[0])
    expected[evil.port] = "open"
    scan = run_scan(home, list(expected), ["attack", "bystander", "banner-log"], tmp_path / "scan")
    assert_every_result_written(scan, expected)
    assert not CONTROL.search(scan.log) and not CONTROL.search(scan.err)
    lines = scan.log.splitlines()
    assert lines and all(LOG_LINE.match(line) for line in lines), [x for x in lines if not LOG_LINE.match(x)][:3]
    assert all(line.startswith("prtip: ") for line in scan.err.splitlines())
    # each forged text is still there, visibly escaped, on the plugin's own line
    assert "plugin attack: x\\n2099-01-01 00:00:00,000 error plugin other: FORGED \\x1b[31mRED" in scan.log
    # print's line breaks end its log lines, each marked as the plugin's print
    assert "plugin attack: print: x\n" in scan.log
    assert "plugin attack: print: 2099-01-01 00:00:00,000 error plugin other: FORGED \\x1b[31mRED" in scan.log
    assert "on_target (127.0.0.1:" in scan.log and "lua-error: x\\n2099-01-01" in scan.log
    assert "plugin banner-log: SSH-2.0\\x1b]0;owned\\x07\\n2099-01-01" in scan.log
    assert "\\x9b31m\\r\\n" in scan.log
    assert "prtip: error: plugin attack: on_target (127.0.0.1:" in scan.err
    errors = faults(scan)
    assert len(errors) == len(expected) and all("\\n2099-01-01" in e and "\\x1b[31mRED" in e for e in errors)


def test_row15_format_result_is_cut_at_one_mib_per_port(tmp_path, bench):
    home = new_home(tmp_path)
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    write_plugin(home.plugins, "attack", """
        function format_result(result) return string.rep("A", 15e6) end
        """, "output")
    scan = run_scan(home, list(bench[0]), ["attack", "bystander"], tmp_path / "scan")
    check_scan(scan, bench, 32 * MIB, limited_calls=0)
    n = len(bench[0])
    normal = scan.files["N"].read_text()
    for text in (normal, scan.out):
        assert text.count("A" * (MIB - 1)) == n and "A" * (MIB + 1) not in text
        assert text.count("[... format_result output of plugin attack cut: 15000000 bytes, at most 1 MiB per port]") == n
        assert len(text) < n * (MIB + 4096) + 65536
    warnings = [line for line in scan.log.splitlines() if " warning plugin attack: format_result (127.0.0.1:" in line]
    assert all(w.endswith("15000000 bytes of text cut to 1048576") for w in warnings)
    assert {int(w.split("(127.0.0.1:")[1].split("/")[0]) for w in warnings} == set(bench[0])


def _processes_with(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(f"{pid}: {cmdline}")
    return found


def test_row16_commands_and_everything_they_start_end_with_the_call(tmp_path, bench):
    mark = f"{secrets.randbelow(10**6):06d}"
    home = new_home(tmp_path, extra='\n[plugins.grants]\nattack = ["system"]\n')
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    write_plugin(home.plugins, "attack", ATTACK % f"""
    local status, out = prtip.run_command({{"sh", "-c", "(sleep 120.{mark}1; echo late) & echo started"}}, 2)
    prtip.add_result("first", tostring(status) .. " " .. out)
    local st2, why = prtip.run_command({{"sh", "-c", "(sleep 120.{mark}2) & sleep 30"}}, 2)
    prtip.add_result("second", tostring(st2) .. " " .. tostring(why))
    """, "scan", ("system",))
    started = time.monotonic()
    scan = run_scan(home, list(bench[0]), ["attack", "bystander"], tmp_path / "scan")
    check_scan(scan, bench, 32 * MIB)
    data = [r["plugins"]["attack"] for r in scan.ports().values() if "attack" in r["plugins"]]
    assert data == [{"first": "0 started\n", "second": "nil timeout", "finished": True}]
    assert 2.0 <= time.monotonic() - started
    assert _processes_with(f"120.{mark}") == []


DB_ATTACK = """
local calls = 0
function on_target(target, result)
    calls = calls + 1
    if calls == 1 then
        local rows, err = prtip.db_query("SELECT length(randomblob(900000000)) AS n")
        prtip.add_result("blob", tostring(rows) .. " " .. tostring(err))
    elseif calls == 2 then
        prtip.db_query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                       .. "SELECT x, randomblob(1000000) AS b FROM c LIMIT 5000")
    elseif calls == 3 then
        prtip.db_query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
    end
end
"""


@pytest.mark.parametrize("instructions, last", [("1000000", "instruction limit of 1000000 exceeded"),
                                                ('"unlimited"', "time limit of 5 s exceeded")])
def test_row17_database_queries_obey_the_plugins_limits(tmp_path, bench, instructions, last):
    home = new_home(tmp_path, extra=f'\n[plugins.limits.attack]\ninstructions = {instructions}\nmemory = "16MiB"\n')
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    write_plugin(home.plugins, "attack", DB_ATTACK, "scan", ("database",))
    scan = run_scan(home, list(bench[0]), ["attack", "bystander"], tmp_path / "scan")
    check_scan(scan, bench, 16 * MIB, limited_calls=2)
    blob = [r["plugins"]["attack"]["blob"] for r in scan.ports().values() if "attack" in r["plugins"]]
    assert blob == ["nil database error: string or blob too big"]
    errors = faults(scan)
    assert len(errors) == 2, errors
    assert ": limit: memory limit of 16777216 bytes exceeded" in errors[0]
    assert f": limit: {last}" in errors[1]


# ---------------------------------------------------------------- any hook, any misbehaviour

MISBEHAVIOURS = {
    "error": 'error("boom in " .. HOOK)',
    "instructions": "while true do end",
    "memory": 'local t = {} while true do t[#t + 1] = string.rep("x", 1 << 20) .. #t end',
    "garbage": "return coroutine.create(print), setmetatable({}, {__index = function() error('no') end}), print",
}
TYPES = {"scan": ("pre_scan", "on_target", "post_scan"), "output": ("format_result", "export"),
         "detection": ("analyze_banner", "probe_service")}


def _every_hook(kind: str, body: str, hooks: tuple[str, ...]) -> str:
    return "\n".join(f'function {h}(...)\n    local HOOK = "{h}"\n    {body}\nend' for h in hooks)


@pytest.mark.parametrize("misbehaviour", list(MISBEHAVIOURS))
def test_every_hook_of_every_type_misbehaving_loses_no_result(tmp_path, bench, misbehaviour):
    home = new_home(tmp_path)
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    names = []
    for kind, hooks in TYPES.items():
        name = f"bad-{kind}"
        write_plugin(home.plugins, name, _every_hook(kind, MISBEHAVIOURS[misbehaviour], hooks + ("on_unload",)),
                     kind, ("network",) if kind == "detection" else ())
        names.append(name)
    export = tmp_path / "export.out"
    scan = run_scan(home, list(bench[0]), names + ["bystander"], tmp_path / "scan", "--plugin-output", str(export))
    check_scan(scan, bench, 32 * MIB, limited_calls=0 if misbehaviour == "error" else 10)
    failed = {e.split(": ")[1].split(" (")[0] for e in scan.json()["errors"]}
    # what on_target, post_scan, export and on_unload return is ignored by contract
    must = {"pre_scan", "format_result", "analyze_banner", "probe_service"}
    if misbehaviour != "garbage":
        must |= {"on_target", "post_scan", "export"}
    assert must <= failed, failed
    assert "on_unload" in scan.log or misbehaviour == "garbage"


@pytest.mark.parametrize("misbehaviour", ["error", "instructions", "memory", "garbage"])
def test_a_plugin_failing_to_load_loses_no_result(tmp_path, bench, misbehaviour):
    home = new_home(tmp_path)
    write_plugin(home.plugins, "bystander", BYSTANDER, "scan")
    write_plugin(home.plugins, "attack", f"""
        function on_load(config)
            local HOOK = "on_load"
            {MISBEHAVIOURS[misbehaviour]}
        end
        function on_target() end
        """, "scan")
    scan = run_scan(home, list(bench[0]), ["attack", "bystander"], tmp_path / "scan")
    check_scan(scan, bench, 32 * MIB)
    assert [e for e in scan.json()["errors"] if e.startswith("plugin attack: load: on_load")]
