"""on_target in batches: one hand-off to the Lua thread for many port results, and still each
call with its own budget, its own time limit and its own failure (issue 12: hook cost)."""

from __future__ import annotations

import threading
import time

from luavm.convert import lua_function
from prtip.plugins import pluginhooks, runner
from prtip.plugins.runner import HookRunner
from plugin_helpers import load_one, port_result, scan_with

COUNTING = """
    local calls = 0
    function on_target(target, result)
        calls = calls + 1
        if target.port ~= result.port then error("target and result disagree") end
        if result.port == STUCK then block() end
        prtip.add_result("call", calls)
    end
    """


def hand_offs(monkeypatch) -> list[int]:
    """Counts HookRunner.run calls made from outside the runner (hand-offs to the Lua thread)."""
    seen: list[int] = []
    run = HookRunner.run

    def counted(self, fn, seconds, started=None):
        if threading.current_thread() is not self.thread:
            seen.append(1)
        return run(self, fn, seconds, started)

    monkeypatch.setattr(HookRunner, "run", counted)
    return seen


def test_a_batch_of_results_takes_one_hand_off_per_batch_and_each_call_its_own_budget(home, monkeypatch):
    # each call spends ~2,000 of its 5,000 instructions: 600 calls on one budget would stop at the third
    home.config("[plugins.limits]\ninstructions = 5000\n")
    manager, plugin = load_one(home, "busy", """
        function on_target(target, result)
            local n = 0
            for i = 1, 400 do n = n + i end
            prtip.add_result("sum", n)
        end
        """, "scan")
    seen = hand_offs(monkeypatch)
    results = manager.hooks().on_results([port_result(p, state="closed") for p in range(1, 601)])
    assert [r.port for r in results] == list(range(1, 601))
    assert all(r.plugins == {"busy": {"sum": 80200}} for r in results)
    assert len(seen) == -(-600 // pluginhooks.BATCH)
    assert manager.faults == []


def test_every_call_of_a_batch_has_the_whole_time_limit(home):
    home.config("[plugins.limits]\nseconds = 0.3\n")
    manager, plugin = load_one(home, "slowish", COUNTING.replace("STUCK", "-1").replace(
        "calls = calls + 1", "calls = calls + 1; pause()"), "scan")
    # 0.15 s per call, 4 calls: 0.6 s in all, twice the limit, each call half of it
    plugin.code.rt.globals[b"pause"] = lua_function(lambda *a: time.sleep(0.15), "pause")
    results = manager.hooks().on_results([port_result(p) for p in (1, 2, 3, 4)])
    assert [r.plugins["slowish"]["call"] for r in results] == [1, 2, 3, 4]
    assert manager.faults == []


def test_a_stuck_call_in_a_batch_fails_alone_and_the_rest_run_on_a_fresh_instance(home):
    home.config("[plugins.limits]\nseconds = 0.3\n")
    manager, plugin = load_one(home, "stuck", COUNTING.replace("STUCK", "3"), "scan")
    never = threading.Event()
    plugin.code.rt.globals[b"block"] = lua_function(lambda *a: never.wait() and (), "block")
    first = plugin.code
    started = time.monotonic()
    results = manager.hooks().on_results([port_result(p) for p in range(1, 7)])
    assert time.monotonic() - started < 0.3 + runner.GRACE + runner.ABANDON + 0.5
    got = [r.plugins.get("stuck", {}).get("call") for r in results]
    assert got == [1, 2, None, 1, 2, 3]  # ports 4-6 ran on the new instance: its count restarts
    assert plugin.code is not first
    (fault,) = manager.faults
    assert fault.hook == "on_target" and fault.target == "127.0.0.1:3/tcp"
    assert fault.message.startswith("time limit of 0.3 s exceeded (abandoned by the host")
    never.set()


def test_an_interrupted_call_in_a_batch_fails_alone_and_the_same_instance_goes_on(home):
    home.config("[plugins.limits]\nseconds = 0.3\n")
    manager, plugin = load_one(home, "spinning", COUNTING.replace("STUCK", "2"), "scan")
    # Python code that never ends by itself: only the watchdog's interruption stops it
    plugin.code.rt.globals[b"block"] = lua_function(lambda *a: [None for _ in iter(int, 1)], "block")
    first = plugin.code
    results = manager.hooks().on_results([port_result(p) for p in range(1, 5)])
    assert [r.plugins.get("spinning", {}).get("call") for r in results] == [1, None, 3, 4]
    assert plugin.code is first
    (fault,) = manager.faults
    assert fault.target == "127.0.0.1:2/tcp" and "interrupted by the host" in fault.message


def test_a_real_scan_hands_its_results_over_in_batches(home, tmp_path, monkeypatch):
    manager, plugin = load_one(home, "counter", COUNTING.replace("STUCK", "-1"), "scan")
    seen = hand_offs(monkeypatch)
    ports = list(range(40000, 40300))  # closed: each one result, all found within a few turns of the loop
    got = scan_with(manager.hooks(), ports, tmp_path / "scan.json", randomize=False)
    assert sorted(got) == ports
    assert sorted(p["plugins"]["counter"]["call"] for p in got.values()) == list(range(1, 301))
    assert len(seen) < 30, f"{len(seen)} hand-offs for 300 results"
