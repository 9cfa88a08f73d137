"""LuaRuntime.host_caller, the plugin host's way to make a batch of calls on its Lua thread,
must be pcall_host in everything a script or the host can see: the stack depth a script
reaches before its limit, the error values and tracebacks, the translation of foreign errors."""

from __future__ import annotations

import threading

import pytest

from luavm import Limits, LuaError, LuaRuntime
from luavm.runtime import LUA_THREAD_STACK, start_thread

PROBE = b"""
deepest = 0
function probe()
  local function down(n) deepest = n; return 1 + down(n + 1) end
  local ok, err = pcall(down, 1)
  return deepest, tostring(err):match("stack overflow") ~= nil
end
function fails(x) error({code = x}) end
function bad() return ("x"):rep(-1, {}) end
"""


def on_lua_thread(fn):
    """fn() on a thread like the plugin runner's: a big stack, marked as a Lua thread."""
    out: dict = {}

    def body() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # handed to the test's thread
            out["error"] = exc

    start_thread(body, LUA_THREAD_STACK, "test-lua").join()
    if "error" in out:
        raise out["error"]
    return out["value"]


@pytest.mark.parametrize("memory", [None, 4 << 20, 64 << 20])
def test_a_batch_reaches_the_same_depth_as_pcall_host(memory):
    rt = LuaRuntime(sandbox=True, limits=Limits(memory=memory, instructions=50_000_000))
    rt.execute(PROBE, "=probe")

    def outcome(call, probe):
        rt.reset_budget()
        try:
            return call(probe)
        except Exception as exc:  # a limit: the same one, at the same depth
            return type(exc).__name__, str(exc), rt.globals[b"deepest"]

    def both():
        rt.mark_lua_thread()
        probe = rt.globals[b"probe"]
        single = [outcome(rt.pcall_host, probe) for _ in range(2)]
        caller = rt.host_caller()
        batch = [outcome(caller, probe) for _ in range(3)]
        return single, batch

    single, batch = on_lua_thread(both)
    assert single[0] == single[1]
    assert batch == [single[0]] * 3


def test_a_batchs_errors_are_pcall_hosts():
    rt = LuaRuntime(sandbox=True)
    rt.execute(PROBE, "=probe")

    def errors(call):
        rt.mark_lua_thread()
        found = []
        for name in (b"fails", b"bad"):
            try:
                call(rt.globals[name], 7)
            except LuaError as exc:
                value = exc.value
                found.append((type(exc), value[b"code"] if name == b"fails" else value, exc.traceback is not None))
        return found

    single = on_lua_thread(lambda: errors(rt.pcall_host))
    batch = on_lua_thread(lambda: errors(rt.host_caller()))
    assert single == batch and len(batch) == 2
    assert batch[0][1] == 7 and batch[0][2]
