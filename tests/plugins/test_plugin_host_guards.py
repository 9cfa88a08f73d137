"""The host's own guards, one at a time and in process: the call watchdog, log escaping at the
sink, the format_result cap, process groups of run_command, SQL limits of db_query.
(tests/plugins/test_issue11_scan.py drives the same through whole `prtip` scans.)"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from luavm.convert import lua_function
from prtip.plugins import privileged, runner
from prtip.plugins.context import ScanContext
from prtip.plugins.integration import SafeFormatter, setup_logging
from prtip.plugins.runner import HookAbandoned, HookOverrun, HookRunner
from plugin_helpers import free_port, load_one, port_result

# ---------------------------------------------------------------- the watchdog


def test_a_python_loop_past_its_limit_is_interrupted():
    r = HookRunner("test")
    started = time.monotonic()
    with pytest.raises(HookOverrun):
        r.run(lambda: [None for _ in iter(int, 1)], 0.2)  # never ends by itself
    assert time.monotonic() - started < 0.2 + runner.GRACE + runner.ABANDON + 0.2
    assert r.run(lambda: 42, 0.2) == 42  # the same thread serves the next call
    assert r.abandoned == 0


def test_a_blocked_call_is_abandoned_and_the_next_call_gets_a_new_thread():
    r = HookRunner("test")
    lock = threading.Lock()
    lock.acquire()
    first = None

    def blocked():
        nonlocal first
        first = threading.current_thread()
        lock.acquire()  # no bytecode runs while waiting: the interruption cannot reach it

    with pytest.raises(HookAbandoned):
        r.run(blocked, 0.1)
    assert r.abandoned == 1
    assert r.run(threading.current_thread, 0.1) is not first
    lock.release()  # the abandoned thread wakes up, sees its interruption and ends
    first.join(2)
    assert not first.is_alive()


def test_errors_come_back_as_they_were_raised():
    r = HookRunner("test")
    with pytest.raises(KeyError, match="x"):
        r.run(lambda: {}["x"], 1.0)


def test_a_stuck_hook_is_a_time_limit_and_the_plugin_is_loaded_afresh(home):
    home.config('[plugins.limits]\nseconds = 0.3\n')
    manager, plugin = load_one(home, "stuck", """
        function analyze_banner(b)
            if b == "stick" then block() end
            return {service = "x"}
        end
        """)
    never = threading.Event()

    # a host function that never returns stands for a luavm builtin stuck in a lock
    plugin.code.rt.globals[b"block"] = lua_function(lambda *a: never.wait() and (), "block")
    first = plugin.code
    started = time.monotonic()
    r = plugin.call("analyze_banner", b"stick")
    assert not r.ok and time.monotonic() - started < 0.3 + runner.GRACE + runner.ABANDON + 0.3
    fault = manager.faults[-1]
    assert fault.kind == "limit" and fault.message.startswith("time limit of 0.3 s exceeded (abandoned by the host")
    assert plugin.code is not None and plugin.code is not first  # a fresh instance
    r = plugin.call("analyze_banner", b"fine")
    assert r.ok and r.first[b"service"] == b"x"
    never.set()


def test_a_main_chunk_that_gets_stuck_refuses_the_plugin_and_others_still_load(home, monkeypatch):
    from prtip.plugins.api import PluginApi
    from prtip.plugins.errors import PluginLoadError

    never = threading.Event()
    install = PluginApi.install

    def install_with_block(self):
        install(self)
        self.rt.globals[b"block"] = lua_function(lambda *a: never.wait() and (), "block")

    monkeypatch.setattr(PluginApi, "install", install_with_block)
    home.config('[plugins.limits]\nseconds = 0.3\n')
    home.plugin("stuck", "block()\nfunction analyze_banner(b) end")
    home.plugin("fine", "function analyze_banner(b) return {service = 'ok'} end")
    manager = home.manager()
    started = time.monotonic()
    with pytest.raises(PluginLoadError, match=r"main chunk: time limit of 0.3 s exceeded \(abandoned by the host"):
        manager.load_plugin("stuck")
    assert time.monotonic() - started < 2
    assert manager.load_plugin("fine").call("analyze_banner", b"x").first[b"service"] == b"ok"
    never.set()


def test_a_bug_of_the_host_outside_plugin_calls_does_not_end_the_scan(home, server, tmp_path, monkeypatch):
    import prtip.plugins.pluginhooks as hooks_module
    from plugin_helpers import scan_with

    a, closed = server(), free_port()
    manager, plugin = load_one(home, "watcher", "function on_target(t, r) prtip.add_result('seen', true) end", "scan")

    def broken(*args, **kwargs):
        raise RuntimeError("host bug \x1b[31m")

    monkeypatch.setattr(hooks_module, "result_table", broken)
    hooks = manager.hooks()
    got = scan_with(hooks, [a.port, closed], tmp_path / "scan.json")
    assert {p: r["state"] for p, r in got.items()} == {a.port: "open", closed: "closed"}
    assert "plugin host: on_results: internal: RuntimeError: host bug \\x1b[31m" in hooks.errors


# ---------------------------------------------------------------- log lines


def test_the_formatter_escapes_messages_and_indents_tracebacks():
    fmt = SafeFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("prtip", logging.ERROR, __file__, 1, "bad: %s", ("a\n2099 FORGED \x1b[2J",), None)
    assert fmt.format(record) == "ERROR bad: a\\n2099 FORGED \\x1b[2J"
    try:
        raise ValueError("line one\nFORGED \x1b[31m")
    except ValueError:
        import sys

        record = logging.LogRecord("prtip", logging.ERROR, __file__, 1, "oops", (), sys.exc_info())
    lines = fmt.format(record).split("\n")
    assert lines[0] == "ERROR oops" and all(line.startswith("  | ") for line in lines[1:])
    assert any("FORGED \\x1b[31m" in line for line in lines)


def test_plugin_log_print_and_errors_reach_the_log_file_one_line_each(home, tmp_path):
    setup_logging("warn", home.path)
    try:
        manager, plugin = load_one(home, "forger", r"""
            function analyze_banner(b)
                prtip.log("error", "one\n2099-01-01 00:00:00,000 error plugin other: FORGED \27[31mRED")
                error("two\n2099-01-01 00:00:00,000 error plugin other: FORGED \27[31mRED", 0)
            end
            """)
        plugin.call("analyze_banner", b"x")
    finally:
        setup_logging("warn", tmp_path / "elsewhere")  # release the handlers on this home's log
    lines = home.log.read_text().splitlines()
    assert not any(line.startswith("2099") for line in lines)
    assert not any("\x1b" in line for line in lines)
    assert sum("FORGED \\x1b[31mRED" in line for line in lines) == 2


# ---------------------------------------------------------------- format_result


def test_format_result_text_is_cut_at_one_mib_with_a_marker_and_a_warning(home, caplog):
    manager, plugin = load_one(home, "flood", 'function format_result(r) return string.rep("é", 3e6) end', "output")
    hooks = manager.hooks()
    with caplog.at_level(logging.WARNING, "prtip.plugins.flood"):
        text = hooks.format_result(port_result(80))
    body, marker = text.rsplit("\n", 1)
    assert len(body.encode()) == 1 << 20 and body == "é" * (1 << 19)  # cut between characters
    assert marker == "[... format_result output of plugin flood cut: 6000000 bytes, at most 1 MiB per port]"
    assert "format_result (127.0.0.1:80/tcp): 6000000 bytes of text cut to 1048576" in caplog.text


def test_format_result_under_the_cap_is_untouched(home):
    manager, plugin = load_one(home, "small", 'function format_result(r) return string.rep("a", 1 << 20) end', "output")
    assert manager.hooks().format_result(port_result(80)) == "a" * (1 << 20)


# ---------------------------------------------------------------- run_command


def _alive(marker: str) -> bool:
    """A process whose command line holds ``marker`` is still there 1 s on (SIGKILL takes a moment)."""
    deadline = time.monotonic() + 1.0
    while _running(marker):
        if time.monotonic() > deadline:
            return True
        time.sleep(0.02)
    return False


def _running(marker: str) -> bool:
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return True
            except OSError:
                pass
    return False


def test_run_command_kills_what_the_command_left_in_the_background(tmp_path):
    status, out, err = privileged.run_command([b"sh", b"-c", b"(sleep 97.3141; echo late) & echo started"], 5,
                                              tmp_path)
    assert (status, out, err) == (0, b"started\n", b"")
    assert not _alive("97.3141")


def test_run_command_at_its_timeout_kills_the_whole_group(tmp_path):
    started = time.monotonic()
    with pytest.raises(privileged.CommandTimeout):
        privileged.run_command([b"sh", b"-c", b"(sleep 97.2718) & sleep 30"], 0.5, tmp_path)
    assert time.monotonic() - started < 2
    assert not _alive("97.2718")


# ---------------------------------------------------------------- db_query


@pytest.fixture
def results_db(tmp_path):
    path = tmp_path / "results.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE results (port INTEGER, banner BLOB)")
        conn.executemany("INSERT INTO results VALUES (?, ?)", [(p, b"x" * 100) for p in range(1, 201)])
    return str(path)


def db_plugin(home, results_db, query: str, limits: str = ""):
    if limits:
        home.config(f"[plugins.limits]\n{limits}\n")
    return load_one(home, "sql", f"""
        function analyze_banner(b)
            local rows, err = prtip.db_query("{query}")
            return {{service = "x", info = rows and tostring(#rows) or err}}
        end
        """, capabilities=("database",), scan=ScanContext(db_path=results_db))


def test_a_huge_value_is_refused_by_sqlites_length_limit(home, results_db):
    manager, plugin = db_plugin(home, results_db, "SELECT length(randomblob(900000000)) AS n")
    started = time.monotonic()
    r = plugin.call("analyze_banner", b"x")
    assert r.ok and r.first[b"info"] == b"database error: string or blob too big"
    assert time.monotonic() - started < 1


def test_rows_are_charged_to_memory_as_they_arrive(home, results_db):
    manager, plugin = db_plugin(home, results_db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                "SELECT randomblob(1000000) AS b FROM c LIMIT 5000", 'memory = "8MiB"')
    assert not plugin.call("analyze_banner", b"x").ok
    assert manager.faults[-1].message == "memory limit of 8388608 bytes exceeded"


def test_sql_work_costs_instructions(home, results_db):
    manager, plugin = db_plugin(home, results_db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                "SELECT count(*) FROM c")
    started = time.monotonic()
    assert not plugin.call("analyze_banner", b"x").ok
    assert manager.faults[-1].message == "instruction limit of 1000000 exceeded"
    assert time.monotonic() - started < 5


def test_an_endless_query_stops_at_the_time_limit(home, results_db):
    manager, plugin = db_plugin(home, results_db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                "SELECT count(*) FROM c", 'instructions = "unlimited"\nseconds = 0.5')
    started = time.monotonic()
    assert not plugin.call("analyze_banner", b"x").ok
    assert manager.faults[-1].message == "time limit of 0.5 s exceeded"
    assert time.monotonic() - started < 0.6


def test_ordinary_queries_still_work(home, results_db):
    manager, plugin = db_plugin(home, results_db, "SELECT port, banner FROM results WHERE port > 150")
    r = plugin.call("analyze_banner", b"x")
    assert r.ok and r.first[b"info"] == b"50"
