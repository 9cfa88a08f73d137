"""The policy of the plugin API under `prtip plugin test`: the scan's checks, test-friendly sinks.

A test gets the scanner's own ``PluginApi`` (prtip/plugins/api.py): the same argument checks,
capability checks, instruction and memory charges and ``io`` table. Only the ApiPolicy differs:

- ``prtip.log`` appends ``{level=, message=}`` to ``prtip.logs`` (nothing goes to the terminal),
  so a test can assert on what was logged.
- ``prtip.add_result(key, value)`` checks and converts ``value`` as in a scan (a value the scan
  would refuse fails the test) and then stores it into ``prtip.results[key]``.
- ``prtip.get_target()`` returns ``prtip.target`` (default ``{ip="127.0.0.1", port=80,
  protocol="tcp"}``); a test sets ``prtip.target`` to pretend another port.
- ``connect`` reaches loopback addresses only (127.0.0.0/8, ::1): unit tests never leave the
  machine.
- ``prtip.reset()`` empties ``logs`` and ``results`` and starts a fresh result budget.
"""

from __future__ import annotations

from typing import Any

from luavm import LuaTable, lua_function, rawlen, to_lua

from prtip.plugins.api import ApiPolicy, PluginApi
from prtip.plugins.context import CallState, TargetRef

DEFAULT_TARGET = TargetRef("127.0.0.1", 80, "tcp")


def test_call() -> CallState:
    """The call state a test file runs in: add_result is allowed, as in a port's hook."""
    return CallState("test", DEFAULT_TARGET, True)


class TestPolicy(ApiPolicy):
    """Loopback-only sockets; logs, results and the target live in the `prtip` table."""

    __test__ = False  # not a pytest class

    def refusal(self, api: PluginApi, addr: Any) -> str | None:
        return None if addr.is_loopback else "plugin tests connect only to 127.0.0.0/8 and ::1"

    def target(self, api: PluginApi) -> Any:
        return api.table.get(b"target")

    def log(self, api: PluginApi, level: str, message: bytes) -> None:
        logs = api.table.get(b"logs")
        if type(logs) is LuaTable:
            logs[rawlen(logs) + 1] = to_lua({"level": level, "message": message})

    def result(self, api: PluginApi, call: CallState, key: bytes, data: Any, value: Any) -> None:
        results = api.table.get(b"results")
        if type(results) is LuaTable:
            results[key] = value

    def install(self, api: PluginApi) -> None:
        """Add the test-only fields to an installed `prtip` table."""
        t = api.table

        def reset(*args: Any) -> tuple:
            t[b"logs"], t[b"results"] = LuaTable(), LuaTable()
            api.begin(test_call())
            return ()

        t[b"reset"] = lua_function(reset, "reset")
        t[b"target"] = to_lua(DEFAULT_TARGET.as_lua_data())
        reset()
