"""The `prtip` table a plugin's unit tests see: the real API's names and checks, test-friendly data.

What differs from the scanner's table (prtip/plugins/api.py), and why:

- ``prtip.log`` checks its arguments like the real one and appends ``{level=, message=}`` to
  ``prtip.logs``, so a test can assert on what was logged (and nothing goes to the terminal).
- ``prtip.add_result(key, value)`` stores into ``prtip.results[key]`` for the test to read.
- ``prtip.get_target()`` returns ``prtip.target`` (default ``{ip="127.0.0.1", port=80,
  protocol="tcp"}``); a test sets ``prtip.target`` to pretend another port.
- ``prtip.scan_config`` is the default scan's: connect scan, rate 0, timing 3, not verbose.
- ``connect/send/receive/close`` are real TCP sockets (prtip/plugins/connections.py, the same
  code the scanner uses) but only to loopback addresses: unit tests never leave the machine.
  The capability check is the real one: a plugin without ``network`` in its plugin.toml gets
  ``Plugin lacks 'network' capability`` in its tests too.
- ``prtip.reset()`` empties ``logs`` and ``results`` between test cases.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from luavm import (
    LuaError, LuaRuntime, LuaTable, arg_error, check_option, lua_function, rawlen, to_lua, type_error, typename,
)
from luavm import check_int as check_integer, check_str as check_string, get_arg as arg  # names in use here

from prtip.plugins.api import LOG_LEVELS, MAX_WAIT, check_seconds
from prtip.plugins.connections import MAX_RECEIVE, SocketTable

DEFAULT_TARGET = {"ip": "127.0.0.1", "port": 80, "protocol": "tcp"}
SCAN_CONFIG = {"scan_type": "connect", "rate": 0.0, "timing": 3, "verbose": False}
_BYTES = [bytes((i,)) for i in range(256)]


class PrtipStub:
    """The `prtip` table of one test run, with the sockets it opened."""

    def __init__(self, rt: LuaRuntime, plugin_name: str, capabilities: frozenset[str]) -> None:
        self.rt, self.name, self.capabilities = rt, plugin_name, capabilities
        self.sockets = SocketTable(lambda: MAX_WAIT)
        t = LuaTable()
        for name, fn in (("log", self.log), ("add_result", self.add_result), ("get_target", self.get_target),
                         ("connect", self.connect), ("send", self.send), ("receive", self.receive),
                         ("close", self.close), ("reset", self.reset)):
            t[name.encode()] = lua_function(fn, name)
        t[b"scan_config"] = to_lua(SCAN_CONFIG)
        t[b"target"] = to_lua(DEFAULT_TARGET)
        t[b"plugin_name"] = plugin_name.encode()
        t[b"logs"] = LuaTable()
        t[b"results"] = LuaTable()
        self.table = t

    def close_all(self) -> None:
        self.sockets.close_all()

    # ------------------------------------------------------------------ data

    def log(self, *args: Any) -> tuple:
        level = check_option(args, 1, "log", tuple(LOG_LEVELS))
        message = check_string(args, 2, "log")
        logs = self.table[b"logs"]
        if type(logs) is LuaTable:
            logs[rawlen(logs) + 1] = to_lua({"level": level, "message": message})
        return ()

    def add_result(self, *args: Any) -> tuple:
        key = check_string(args, 1, "add_result")
        value = arg(args, 2)
        if value is None or typename(value) in ("function", "userdata", "thread"):
            type_error(args, 2, "add_result", "string, number, boolean or table")
        results = self.table[b"results"]
        if type(results) is LuaTable:
            results[key] = value
        return ()

    def get_target(self, *args: Any) -> tuple:
        return (self.table.get(b"target"),)  # one value, nil included, as the real API

    def reset(self, *args: Any) -> tuple:
        self.table[b"logs"] = LuaTable()
        self.table[b"results"] = LuaTable()
        return ()

    # ------------------------------------------------------------------ network (loopback only)

    def _require(self, capability: str) -> None:
        if capability not in self.capabilities:
            raise LuaError(f"Plugin lacks '{capability}' capability", level=1)

    def connect(self, *args: Any) -> tuple:
        self._require("network")
        text = check_string(args, 1, "connect")
        try:
            addr = ipaddress.ip_address(text.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError):
            arg_error(1, "connect", "invalid IP address")
        if not addr.is_loopback:
            raise LuaError(f"connection to {addr} not allowed: plugin tests connect only to 127.0.0.0/8 and ::1",
                           level=1)
        port = check_integer(args, 2, "connect")
        if not 1 <= port <= 65535:
            arg_error(2, "connect", "port must be between 1 and 65535")
        timeout = check_seconds(args, 3, "connect", 5.0, MAX_WAIT)
        try:
            sid, why = self.sockets.connect(addr, port, timeout)
        except OverflowError as exc:
            raise LuaError(str(exc), level=1) from None
        return (sid,) if sid is not None else (None, (why or "error").encode())

    def _socket(self, args: tuple, fname: str) -> int:
        sid = check_integer(args, 1, fname)
        if self.sockets.get(sid) is None:
            arg_error(1, fname, "invalid or closed socket id")
        return sid

    def send(self, *args: Any) -> tuple:
        self._require("network")
        sid = self._socket(args, "send")
        data = arg(args, 2)
        if type(data) is LuaTable:
            out = bytearray()
            for i in range(1, rawlen(data) + 1):
                v = data.get(i)
                if type(v) is int and 0 <= v <= 255:
                    out.append(v)
                elif type(v) is bytes and len(v) == 1:
                    out += v
                else:
                    arg_error(2, "send", f"element {i} of the table is not a byte (0-255 or a one-byte string)")
            data = bytes(out)
        elif type(data) is not bytes:
            data = check_string(args, 2, "send")
        sent, why = self.sockets.send(sid, data)
        return (sent,) if why is None else (sent, why.encode())

    def receive(self, *args: Any) -> tuple:
        self._require("network")
        sid = self._socket(args, "receive")
        max_bytes = check_integer(args, 2, "receive")
        if not 1 <= max_bytes <= MAX_RECEIVE:
            arg_error(2, "receive", f"max_bytes must be between 1 and {MAX_RECEIVE}")
        timeout = check_seconds(args, 3, "receive", 5.0, MAX_WAIT)
        data, why = self.sockets.receive(sid, max_bytes, timeout)
        t = LuaTable()
        for i, b in enumerate(data, 1):
            t[i] = _BYTES[b]
        return (t,) if data or why is None else (t, why.encode())

    def close(self, *args: Any) -> tuple:
        self._require("network")
        sid = check_integer(args, 1, "close")
        return (self.sockets.close(sid),)
