"""``collectgarbage``: its options answer as lua5.4's do, over luavm's deterministic collector.

luavm's "collector" is the live-memory measurement behind the memory limit (heap.py): a full
collection measures what is reachable and gives the rest back, at fixed points. The options
that tune PUC's incremental/generational collector have nothing to tune here, but their
answers are part of the language: "stop"/"restart" switch what "isrunning" says, "step"
completes a cycle (true), "incremental"/"generational" return the previous mode, and
"setpause"/"setstepmul" return the previous value, stored as PUC stores it (a quarter of the
value in one byte, so 150 reads back as 148). The measurement itself keeps running even when
"stopped": the memory limit must never depend on a script's collector settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from luavm.lib.args import arg_error, check_option, opt_int

LUAI_GCPAUSE = 200
LUAI_GCMUL = 100
OPTIONS = ["collect", "stop", "restart", "count", "step", "isrunning", "incremental", "generational",
           "setpause", "setstepmul"]


def _gcparam(v: int) -> int:
    """setgcparam then getgcparam: ``(lu_byte)(v / 4) * 4`` with C's truncating division."""
    q = abs(v) // 4
    return ((-q if v < 0 else q) & 0xFF) * 4


@dataclass
class GcParams:
    """What lua_gc would report: the mode, whether it runs, pause and step multiplier."""

    mode: str = "incremental"  # lua_newstate's; the luavm command switches to generational as lua.c
    running: bool = True
    pause: int = LUAI_GCPAUSE
    stepmul: int = LUAI_GCMUL


def gc_params(rt: Any) -> GcParams:
    p = getattr(rt, "gc_params", None)
    if p is None:
        p = rt.gc_params = GcParams()
    return p


def make_collectgarbage(rt: Any, sandbox: bool) -> Any:
    """The ``collectgarbage`` builtin of runtime ``rt`` (the sandbox keeps "count" only: a
    full heap walk must not cost one instruction)."""

    def collectgarbage(*args: Any) -> tuple:
        opt = check_option(args, 1, "collectgarbage", OPTIONS if not sandbox else ["count"], "collect")
        p = gc_params(rt)
        if opt == "count":
            return (rt.meter.memory / 1024.0,)
        if sandbox:
            arg_error(1, "collectgarbage", f"invalid option '{opt}'")
        if opt == "collect":
            rt.collect_garbage()
            _flush(rt)
            return (0,)
        if opt == "step":
            opt_int(args, 2, "collectgarbage", 0)
            rt.collect_garbage()
            _flush(rt)
            return (True,)
        if opt in ("stop", "restart"):
            p.running = opt == "restart"
            return (0,)
        if opt == "isrunning":
            return (p.running,)
        if opt == "incremental":
            pause = opt_int(args, 2, "collectgarbage", 0)
            stepmul = opt_int(args, 3, "collectgarbage", 0)
            opt_int(args, 4, "collectgarbage", 0)
            prev, p.mode = p.mode, opt
            if pause:
                p.pause = _gcparam(pause)
            if stepmul:
                p.stepmul = _gcparam(stepmul)
            return (prev.encode(),)
        if opt == "generational":
            opt_int(args, 2, "collectgarbage", 0)
            opt_int(args, 3, "collectgarbage", 0)
            prev, p.mode = p.mode, opt
            return (prev.encode(),)
        value = _gcparam(opt_int(args, 2, "collectgarbage", 0))
        if opt == "setpause":
            prev, p.pause = p.pause, value
        else:
            prev, p.stepmul = p.stepmul, value
        return (prev,)

    return collectgarbage


def _flush(rt: Any) -> None:
    """A collection closes the files nobody can reach any more; luavm cannot tell those apart
    (Python locals of finished blocks may still hold a handle), so it flushes every open file,
    which is what those closes would make visible (their buffered output reaching the file)."""
    flush = getattr(rt, "flush_files", None)
    if flush is not None:
        flush()
