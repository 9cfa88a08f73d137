"""The plugin sandbox as the plugin host builds and checks it, with its assumptions written down.

Layers, outermost first (docs/SECURITY.md says the same for operators):

1. luavm's sandbox (``LuaRuntime(sandbox=True)``, see luavm/sandbox.py): a fresh allow-listed
   global table per runtime — base functions without file access, string, table, math, utf8,
   coroutine — with read-only library tables, text-only metered ``load``, no ``string.dump``,
   and limits that ``pcall`` cannot catch. :func:`new_runtime` *checks* this on every runtime
   it creates and refuses to run plugins if any forbidden name is reachable (fail closed),
   so a luavm regression cannot silently widen what plugins get.
2. One runtime per plugin load: plugins never share globals, upvalues or metatables with each
   other or with a previous version of themselves (a hot reload builds a new runtime).
3. Limits per hook call: ``reset_budget()`` before each call gives a fresh instruction and
   wall-clock budget; memory is what the plugin keeps live (luavm measures reachability).
   Host functions that block (sockets, commands, SQL) wait at most the call's time left.
   Behind that, every call runs on the plugin's own watched thread (runner.py): one that
   outlives its time limit is interrupted, or abandoned and the plugin loaded afresh.
4. Capabilities (api.py) are checked on every call of a privileged function, against the
   manifest loaded with the running code; ``system`` also needs the operator's grant.
5. The host treats every value a plugin returns as hostile: types are checked, strings are
   bounded, numbers clamped, tables converted with depth/size bounds (pluginhooks.py, tables.py);
   a bad value is a recorded fault, never an exception in the scan. Text a plugin (or a
   banner) sends toward a log or a terminal is escaped by prtip/textsafe.py at the sink.

Assumptions: luavm's guarantees above hold (tests/plugins/test_plugin_hostile.py re-checks the
ones plugins can probe); the plugin folders are as trusted as the operator's own files (a
plugin is code the operator chose to run: the sandbox limits what it can *do*, not what it
is); config.toml files are trusted. Known limits: a plugin with ``network`` can talk to the
scan's targets on any port; ``filesystem`` can fill the disk of its data folder at up to
about 32 MB per hook call (1 instruction per 32 bytes); a host function in progress (e.g.
``receive``) finishes its bounded wait before the time limit is noticed; values the host
passes to hooks are not charged until the plugin keeps them; CPU used by the host on the
plugin's behalf (converting results) is not metered.
"""

from __future__ import annotations

import logging
from typing import Any

from luavm import LuaRuntime, LuaTable, Limits

from prtip.plugins.errors import SandboxError

# Names a plugin must never reach, whatever luavm's defaults become.
FORBIDDEN_GLOBALS = (b"os", b"io", b"debug", b"package", b"require", b"dofile", b"loadfile", b"loadstring",
                     b"module", b"newproxy", b"setfenv", b"getfenv")
FORBIDDEN_FIELDS = ((b"string", b"dump"), (b"package", b"loadlib"))
MAX_PRINT_LINE = 4096


class LogStream:
    """``print`` in a plugin writes here: complete lines go to the plugin's logger at info level.

    Plugins must not write to the scan's stdout (it carries the normal output), and a line
    longer than MAX_PRINT_LINE is cut, so print cannot flood memory or the log with one line.
    """

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.pending = b""

    def write(self, data: bytes) -> int:
        from prtip.plugins.api import sanitize

        self.pending += data
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            self.logger.info("print: %s", sanitize(line, MAX_PRINT_LINE))
        if len(self.pending) > MAX_PRINT_LINE:
            self.logger.info("print: %s", sanitize(self.pending, MAX_PRINT_LINE))
            self.pending = b""
        return len(data)

    def flush(self) -> None:
        pass

    def read(self, n: int = -1) -> bytes:  # stdin of a plugin: always empty
        return b""


def new_runtime(limits: Limits, logger: logging.Logger) -> LuaRuntime:
    """A sandboxed runtime for one plugin load, verified against FORBIDDEN_*."""
    stream: Any = LogStream(logger)
    rt = LuaRuntime(sandbox=True, limits=limits, stdout=stream, stderr=stream, stdin=stream)
    verify(rt)
    return rt


def verify(rt: LuaRuntime) -> None:
    """Raise SandboxError if the runtime exposes anything the plugin host forbids."""
    G = rt.globals
    for name in FORBIDDEN_GLOBALS:
        if G.get(name) is not None:
            raise SandboxError(f"luavm sandbox exposes '{name.decode()}'; refusing to run plugins")
    for lib, field in FORBIDDEN_FIELDS:
        t = G.get(lib)
        if isinstance(t, LuaTable) and t.get(field) is not None:
            raise SandboxError(f"luavm sandbox exposes '{lib.decode()}.{field.decode()}'; refusing to run plugins")
    load = G.get(b"load")
    if load is not None:  # binary chunks must be refused (a bytecode loader is a memory-safety hole)
        result = rt.call(load, b"\x1bLua\x54\x00", b"=probe", b"b")
        if not result or result[0] is not None:
            raise SandboxError("luavm sandbox accepts binary chunks in load; refusing to run plugins")
