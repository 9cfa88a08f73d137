"""The `prtip` table each plugin sees: logging, the current target, the scan's settings,
TCP sockets, result data, and the capability-gated system and database calls.

Every function checks its capability when it is called (not when the table is built), and
the error is ``Plugin lacks 'network' capability`` at the plugin's own line. Host functions
receive plain Lua values only (luavm guarantees it), so nothing here hands Python objects to
Lua. Costs: every call charges the plugin's instruction budget for the bytes it moves, and
data it creates in Lua (received bytes, query rows) is charged to its memory.

What a scan and ``prtip plugin test`` do differently is an :class:`ApiPolicy` given to the
one ``PluginApi``: which addresses ``connect`` accepts, which target ``get_target`` reports and
where log lines and results go. Argument checks, capabilities, limits and costs are the same.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from typing import Any

from luavm import (
    LuaError, LuaRuntime, LuaTable, MemoryLimitExceeded, TimeLimitExceeded, arg_error, check_option, lua_function,
    opt_number, rawlen, rawpairs, to_lua, type_error, typename,
)
from luavm import check_int as check_integer, check_str as check_string, get_arg as arg  # names in use here

from prtip.plugins import privileged
from prtip.plugins.connections import MAX_RECEIVE, SocketTable
from prtip.plugins.context import CallState, ScanContext, normalize_ip
from prtip.plugins.fileio import ConfinedFiles
from prtip.plugins.manifest import Manifest
from prtip.plugins.settings import PluginSettings
from prtip.textsafe import escape, truncate_utf8

LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
MAX_LOG_MESSAGE = 4096
MAX_WAIT = 60.0  # the longest any single socket or command wait may be (the documented bound)
MAX_RESULT_BYTES = 1 << 20  # add_result data per plugin per port result
MAX_KEY = 128
# instructions charged per privileged.PROGRESS_OPS SQLite VM steps: SQLite runs ~50 M steps/s,
# so 1,000,000 instructions of SQL take about as long as of plain Lua (~0.3 s)
SQL_STEP_COST = privileged.PROGRESS_OPS // 16
TABLE_OVERHEAD, SLOT_SIZE, STRING_OVERHEAD = 56, 16, 24  # docs/METERING.md's sizes
_BYTE_STRINGS = [bytes((i,)) for i in range(256)]


def check_seconds(args: tuple, n: int, fname: str, default: float, maximum: float) -> float:
    """A timeout in seconds within [0, maximum] (the plugin API's documented bounds)."""
    v = opt_number(args, n, fname, default)
    if not (0 <= v <= maximum):  # also refuses NaN
        arg_error(n, fname, f"timeout must be between 0 and {maximum:g} seconds")
    return float(v)


class ApiPolicy:
    """The scan's policy: connect to the scan's targets (and the operator's allow_connect),
    log to the plugin's logger, results into the current call's additions."""

    def refusal(self, api: PluginApi, addr: Any) -> str | None:
        """Why ``connect`` may not reach ``addr`` (None: it may)."""
        call = api.call
        current = call.target.ip if call and call.target else None
        if (addr in api.scan.targets or (current and addr == normalize_ip(current))
                or any(addr in net for net in api.settings.allow_connect if net.version == addr.version)):
            return None
        return ("not a target of this scan (the operator can allow it with [plugins] allow_connect "
                "in config.toml)")

    def target(self, api: PluginApi) -> Any:
        """What ``get_target`` returns: the current call's target as Lua data, or nil."""
        if api.call is None or api.call.target is None:
            return None
        return api.call.target.as_lua_data()

    def log(self, api: PluginApi, level: str, message: bytes) -> None:
        api.log.log(LOG_LEVELS[level], "%s", sanitize(message))

    def result(self, api: PluginApi, call: CallState, key: bytes, data: Any, value: Any) -> None:
        """Store one checked add_result: ``data`` is its JSON-ready form, ``value`` the Lua value."""
        call.additions[key.decode("utf-8", "replace")] = data


SCAN_POLICY = ApiPolicy()


def sanitize(text: bytes, limit: int = MAX_LOG_MESSAGE) -> str:
    """A plugin's text for one log line: cut at ``limit`` bytes, then escaped (prtip.textsafe).

    The log formatter escapes every message again at the sink; escaping is idempotent, and
    doing it here too keeps the text safe for any handler a library user installs."""
    cut = truncate_utf8(text, limit)
    return escape(cut) + ("..." if len(cut) < len(text) else "")


class PluginApi:
    """The host side of one loaded plugin: its `prtip` and `io` tables, sockets and files."""

    def __init__(self, rt: LuaRuntime, manifest: Manifest, settings: PluginSettings, scan: ScanContext,
                 logger: logging.Logger, policy: ApiPolicy = SCAN_POLICY) -> None:
        self.rt, self.manifest, self.settings, self.scan, self.log = rt, manifest, settings, scan, logger
        self.policy = policy
        self.name = manifest.name
        self.call: CallState | None = None
        self.sockets = SocketTable(self.remaining)
        self.files = ConfinedFiles(rt, settings.data_dir(self.name), lambda: self.scan.export_path,
                                   lambda: self.require("filesystem"))
        self.table = LuaTable()
        self._scan_data: dict[str, Any] | None = None
        self._scan_config = LuaTable()

    # ------------------------------------------------------------------ per call

    def begin(self, call: CallState) -> None:
        """Each call gets its own copy of scan_config (a plugin may have changed the last one);
        converted once, copied per call."""
        self.call = call
        data = self.scan.as_lua_data()
        if data != self._scan_data:
            self._scan_data, self._scan_config = data, to_lua(data)
        self.table[b"scan_config"] = LuaTable(self._scan_config)

    def end(self) -> CallState | None:
        """The call is over: its sockets are closed, its collected data handed back."""
        call, self.call = self.call, None
        left = self.sockets.close_all()
        if left:
            self.log.debug("closed %d socket(s) left open by %s", left, call.hook if call else "?")
        return call

    def close(self) -> None:
        self.sockets.close_all()
        self.files.close_all()

    def remaining(self) -> float:
        """Seconds left in this hook call (at most MAX_WAIT); raises when the time limit is reached."""
        limit = self.rt.limits.seconds
        if limit is None:
            return MAX_WAIT
        left = limit - self.rt.stats.seconds
        if left <= 0:
            raise TimeLimitExceeded(limit)
        return min(left, MAX_WAIT)

    def require(self, capability: str) -> None:
        if not self.manifest.has(capability):
            raise LuaError(f"Plugin lacks '{capability}' capability", level=1)

    # ------------------------------------------------------------------ the tables

    def install(self) -> None:
        G = self.rt.globals
        t = self.table
        for name, fn in (("log", self.lua_log), ("get_target", self.lua_get_target),
                         ("connect", self.lua_connect), ("send", self.lua_send), ("receive", self.lua_receive),
                         ("close", self.lua_close), ("add_result", self.lua_add_result),
                         ("run_command", self.lua_run_command), ("db_query", self.lua_db_query)):
            t[name.encode()] = lua_function(fn, name)
        t[b"scan_config"] = to_lua(self.scan.as_lua_data())
        t[b"plugin_name"] = self.name.encode()
        t[b"data_dir"] = str(self.settings.data_dir(self.name)).encode()
        G[b"prtip"] = t
        self.files.install(G)

    # ------------------------------------------------------------------ logging and context

    def lua_log(self, *args: Any) -> tuple:
        level = check_option(args, 1, "log", tuple(LOG_LEVELS))
        message = check_string(args, 2, "log")
        self.rt.charge(16 + (len(message) >> 5))
        self.policy.log(self, level, message)
        return ()

    def lua_get_target(self, *args: Any) -> tuple:
        return (self.policy.target(self),)  # one value, nil included (a bare () would be none)

    def lua_add_result(self, *args: Any) -> tuple:
        key = check_string(args, 1, "add_result")
        if not key or len(key) > MAX_KEY:
            arg_error(1, "add_result", f"key must be 1 to {MAX_KEY} bytes long")
        value = arg(args, 2)
        if value is None or typename(value) in ("function", "userdata", "thread"):
            type_error(args, 2, "add_result", "string, number, boolean or table")
        call = self.call
        if call is None or not call.accepts_results:
            hook = call.hook if call else "the main chunk"
            raise LuaError(f"add_result needs a port result, and {hook} has none", level=1)
        budget = [MAX_RESULT_BYTES - call.added_bytes]
        data = _plain(value, budget, 0)
        self.rt.charge(1 + ((MAX_RESULT_BYTES - call.added_bytes - budget[0]) >> 5))
        call.added_bytes = MAX_RESULT_BYTES - budget[0]
        self.policy.result(self, call, key, data, value)
        return ()

    # ------------------------------------------------------------------ network

    def _address(self, args: tuple) -> Any:
        text = check_string(args, 1, "connect")
        try:
            addr = normalize_ip(text.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            arg_error(1, "connect", "invalid IP address")
        why = self.policy.refusal(self, addr)
        if why is None:
            return addr
        raise LuaError(f"connection to {addr} not allowed: {why}", level=1)

    def lua_connect(self, *args: Any) -> tuple:
        self.require("network")
        addr = self._address(args)
        port = check_integer(args, 2, "connect")
        if not 1 <= port <= 65535:
            arg_error(2, "connect", "port must be between 1 and 65535")
        timeout = check_seconds(args, 3, "connect", 5.0, MAX_WAIT)
        self.rt.charge(16)
        try:
            sid, why = self.sockets.connect(addr, port, timeout)
        except OverflowError as exc:
            raise LuaError(str(exc), level=1) from None
        if sid is None:
            self.log.debug("connect %s:%d: %s", addr, port, why)
            return (None, (why or "error").encode())
        return (sid,)

    def _socket(self, args: tuple, fname: str) -> int:
        sid = check_integer(args, 1, fname)
        if self.sockets.get(sid) is None:
            arg_error(1, fname, "invalid or closed socket id")
        return sid

    def lua_send(self, *args: Any) -> tuple:
        self.require("network")
        sid = self._socket(args, "send")
        data = arg(args, 2)
        if type(data) is LuaTable:
            data = self._bytes_of_table(data)
        elif type(data) is not bytes:
            data = check_string(args, 2, "send")
        self.rt.charge(1 + (len(data) >> 5))
        sent, why = self.sockets.send(sid, data)
        if why is not None:
            return (sent, why.encode())
        return (sent,)

    def _bytes_of_table(self, t: LuaTable) -> bytes:
        n = rawlen(t)
        self.rt.charge(1 + n)
        out = bytearray()
        for i in range(1, n + 1):
            v = t.get(i)
            if type(v) is int and 0 <= v <= 255:
                out.append(v)
            elif type(v) is float and v.is_integer() and 0 <= v <= 255:
                out.append(int(v))
            elif type(v) is bytes and len(v) == 1:
                out += v
            else:
                arg_error(2, "send", f"element {i} of the table is not a byte (0-255 or a one-byte string)")
        return bytes(out)

    def lua_receive(self, *args: Any) -> tuple:
        self.require("network")
        sid = self._socket(args, "receive")
        max_bytes = check_integer(args, 2, "receive")
        if not 1 <= max_bytes <= MAX_RECEIVE:
            arg_error(2, "receive", f"max_bytes must be between 1 and {MAX_RECEIVE}")
        timeout = check_seconds(args, 3, "receive", 5.0, MAX_WAIT)
        self.rt.charge(16)
        data, why = self.sockets.receive(sid, max_bytes, timeout)
        n = len(data)
        # a table of n one-byte strings: table + n slots + n strings (docs/METERING.md sizes)
        self.rt.alloc(56 + n * (16 + 25))
        self.rt.charge(n)
        t = LuaTable()
        for i, b in enumerate(data, 1):
            t[i] = _BYTE_STRINGS[b]
        # nothing came: the table is empty and the second value says why ("timeout", "closed")
        return (t,) if n or why is None else (t, why.encode())

    def lua_close(self, *args: Any) -> tuple:
        self.require("network")
        sid = check_integer(args, 1, "close")
        return (self.sockets.close(sid),)

    # ------------------------------------------------------------------ system and database

    def lua_run_command(self, *args: Any) -> tuple:
        self.require("system")
        if not self.settings.granted(self.name, "system"):
            raise LuaError("Plugin lacks 'system' capability (not granted: the operator must list it under "
                           f"[plugins.grants] {self.name} in config.toml)", level=1)
        argv_t = arg(args, 1)
        if type(argv_t) is not LuaTable:
            type_error(args, 1, "run_command", "table")
        n = rawlen(argv_t)
        if not 1 <= n <= privileged.MAX_ARGV:
            arg_error(1, "run_command", f"command must have 1 to {privileged.MAX_ARGV} words")
        argv = []
        for i in range(1, n + 1):
            word = argv_t.get(i)
            if type(word) is not bytes or b"\0" in word:
                arg_error(1, "run_command", f"word {i} is not a string without zero bytes")
            argv.append(word)
        timeout = check_seconds(args, 2, "run_command", 10.0, MAX_WAIT)
        self.rt.charge(100)
        self.log.info("running %s", sanitize(b" ".join(argv)))
        try:
            status, out, err = privileged.run_command(argv, min(timeout, self.remaining()),
                                                      self.settings.data_dir(self.name))
        except privileged.CommandTimeout:
            self.remaining()
            return (None, b"timeout")
        except OSError as exc:
            return (None, f"{argv[0].decode('utf-8', 'replace')}: {exc.strerror or exc}".encode())
        self.rt.alloc(48 + len(out) + len(err))
        self.rt.charge((len(out) + len(err)) >> 5)
        return (status, out, err)

    def lua_db_query(self, *args: Any) -> tuple:
        self.require("database")
        sql = check_string(args, 1, "db_query")
        if len(sql) > privileged.MAX_SQL:
            arg_error(1, "db_query", f"statement longer than {privileged.MAX_SQL} bytes")
        params = []
        for i, v in enumerate(args[1:], 2):
            if v is None or type(v) in (bool, int, float):
                params.append(v)
            elif type(v) is bytes:
                params.append(v.decode("utf-8", "surrogateescape"))
            else:
                type_error(args, i, "db_query", "string, number, boolean or nil")
        path = self.scan.db_path
        if not path:
            return (None, b"no results database: the scan was run without --db")
        self.rt.charge(100)
        deadline = time.monotonic() + self.remaining()
        out = LuaTable()
        cols: list[bytes] = []
        count = 0
        # The rows are not reachable from Lua until db_query returns, so a collection in
        # between would not see them: their sizes are summed here and held against the limit.
        limit = self.rt.limits.memory
        held = self.rt.stats.memory + TABLE_OVERHEAD
        self.rt.alloc(TABLE_OVERHEAD)

        def on_row(columns: list[str], row: tuple) -> None:
            # each row is charged before the next is fetched: a query cannot build more
            # than the plugin's memory limit of rows (sizes as docs/METERING.md's)
            nonlocal count, held
            if not cols:
                cols.extend(c.encode("utf-8", "surrogateescape") for c in columns)
            t = LuaTable()
            size = TABLE_OVERHEAD + SLOT_SIZE
            length = 0
            for col, v in zip(cols, row):
                if v is None:
                    continue
                if isinstance(v, str):
                    v = v.encode("utf-8", "surrogateescape")
                size += SLOT_SIZE
                if isinstance(v, bytes):
                    size += STRING_OVERHEAD + len(v)
                    length += len(v)
                t[col] = v
            held += size
            if limit is not None and held > limit:
                raise MemoryLimitExceeded(limit)
            self.rt.alloc(size)
            self.rt.charge(1 + len(cols) + (length >> 5))
            count += 1
            out[count] = t

        try:
            truncated = privileged.query_database(path, sql.decode("utf-8", "surrogateescape"), params,
                                                  deadline, on_row, progress=self._sql_progress)
        except sqlite3.Error as exc:
            self.remaining()  # an interrupted statement past the hook's deadline is a time limit
            return (None, f"database error: {exc}".encode())
        return (out, True) if truncated else (out,)

    def _sql_progress(self) -> None:
        """Every PROGRESS_OPS steps of SQLite's VM: SQL work costs instructions, like Lua work."""
        self.rt.charge(SQL_STEP_COST)


def _plain(value: Any, budget: list[int], depth: int) -> Any:
    """A Lua value as JSON-ready Python data for add_result, within a byte budget."""
    if depth > 32:
        raise LuaError("add_result: value nested too deeply", level=1)
    budget[0] -= 8
    t = type(value)
    if t is bytes:
        budget[0] -= len(value)
        result: Any = value.decode("utf-8", "replace")
    elif t is bool or t is int:
        result = value
    elif t is float:
        result = value if math.isfinite(value) else str(value)
    elif t is LuaTable:
        n = rawlen(value)
        if n == len(value):
            result = [_plain(value[i], budget, depth + 1) for i in range(1, n + 1)]
        else:
            result = {}
            for k, v in rawpairs(value):
                if type(k) is bytes:
                    k = k.decode("utf-8", "replace")
                elif type(k) not in (int, float, bool):
                    raise LuaError("add_result: table keys must be strings, numbers or booleans", level=1)
                result[str(k) if not isinstance(k, str) else k] = _plain(v, budget, depth + 1)
    else:
        raise LuaError(f"add_result: cannot store a {typename(value)} value", level=1)
    if budget[0] < 0:
        raise LuaError(f"add_result: more than {MAX_RESULT_BYTES} bytes of data for one port result", level=1)
    return result

