"""Resource limits and the meter that enforces them: instructions, memory, wall-clock time.

The instruction counter lives in the generated code's namespace as the global ``_n``; each
straight-line run of statements adds its static cost with ``if (_n := _n + K) > _L: _chk(K)``.
``_L`` is the next point at which the meter must look: the instruction limit, or earlier, the
next time check. So the common path costs one add and one compare, and the limit is exact:
a run that would pass the limit is refused before any of it executes.

See docs/METERING.md for the cost model.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Callable

from luavm.errors import InstructionLimitExceeded, MemoryLimitExceeded, TimeLimitExceeded

# How many instructions may run between two looks at the clock. At luavm's speed this is well
# under a millisecond, so a time limit is honoured within a few milliseconds.
TIME_CHECK_INTERVAL = 2_000

# Size model (docs/METERING.md): what each allocation is charged, in bytes.
STRING_OVERHEAD = 24
TABLE_OVERHEAD = 56
SLOT_SIZE = 16
CLOSURE_OVERHEAD = 40
UPVALUE_SIZE = 16
COROUTINE_SIZE = 1024  # a coroutine object, its twin function and its place in the live set (coroutine.py)
VALUE_SIZE = 8

# Accounted memory is re-measured (garbage given back) when it first passes this many bytes,
# then whenever it doubles the live size measured last time, or reaches the limit.
GC_MIN_THRESHOLD = 4 * 2**20

# Byte-proportional work: one instruction per this many bytes scanned or built.
BYTES_PER_INSTRUCTION = 16


@dataclass(frozen=True, kw_only=True)
class Limits:
    """Keyword-only resource limits; ``None`` means unlimited."""

    instructions: int | None = None
    memory: int | None = None
    seconds: float | None = None

    @classmethod
    def plugin_default(cls) -> Limits:
        return cls(instructions=1_000_000, memory=100 * 2**20, seconds=5.0)


@dataclass(frozen=True)
class Stats:
    instructions: int
    memory: int
    memory_peak: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"instructions": self.instructions, "memory": self.memory,
                "memory_peak": self.memory_peak, "seconds": round(self.seconds, 6)}


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``64KiB``, ``100MB``, ``1G``, ``4096`` -> bytes (KiB = 1024, KB = 1000)."""
    m = _SIZE.match(text)
    if not m:
        raise ValueError(f"invalid size '{text}' (examples: 4096, 64KiB, 100MB)")
    num, unit, binary = float(m.group(1)), m.group(2).lower(), m.group(3)
    power = "kmgt".index(unit) + 1 if unit else 0
    base = 1024 if binary or not unit else 1000
    return int(num * base**power)


class Meter:
    """Counts what a runtime spends and raises a ``LimitExceeded`` at the exact limit."""

    def __init__(self, ns: dict, limits: Limits, collector: Callable[[], int] | None = None):
        self.ns = ns
        self.limits = limits
        self.collector = collector
        self.memory = 0
        self.memory_peak = 0
        self.gc_threshold = GC_MIN_THRESHOLD if limits.memory is None else min(GC_MIN_THRESHOLD, limits.memory)
        self.started = time.monotonic()
        self.deadline: float | None = None
        self.instruction_base = 0  # where the current budget window started (per-call budgets)
        self.count_hook: Callable[[], None] | None = None  # debug.sethook's count hook
        self.hook_every = 0
        self.hook_next = 0
        self.in_hook = False
        ns["_n"] = 0
        self.reset_window()

    # -------------------------------------------------------------- budget windows

    def reset_window(self) -> None:
        """Start a fresh instruction and time budget (the plugin host does this per hook call)."""
        self.instruction_base = self.ns["_n"]
        self.started = time.monotonic()
        self.deadline = None if self.limits.seconds is None else self.started + self.limits.seconds
        self._set_threshold()

    def _set_threshold(self) -> None:
        n = self.ns["_n"]
        lim = self.limits.instructions
        nxt = n + TIME_CHECK_INTERVAL if self.deadline is not None else None
        if lim is not None:
            hard = self.instruction_base + lim
            nxt = hard if nxt is None else min(nxt, hard)
        if self.count_hook is not None and not self.in_hook:
            nxt = self.hook_next if nxt is None else min(nxt, self.hook_next)
        self.ns["_L"] = nxt if nxt is not None else float("inf")

    def set_count_hook(self, hook: Callable[[], None] | None, every: int) -> None:
        """Call ``hook`` each time ``every`` more instructions have been charged (None: stop)."""
        self.count_hook = hook
        self.hook_every = every
        self.hook_next = self.ns["_n"] + every
        self._set_threshold()

    @property
    def instructions(self) -> int:
        return self.ns["_n"] - self.instruction_base

    # -------------------------------------------------------------- instruction accounting

    def check(self, k: int) -> None:
        """Called by generated code when ``_n`` passed ``_L`` after adding ``k``."""
        ns = self.ns
        lim = self.limits.instructions
        if lim is not None and ns["_n"] - self.instruction_base > lim:
            ns["_n"] -= k  # the refused run did not execute
            ns["_L"] = -1  # anything that still tries to run stops at once
            raise InstructionLimitExceeded(lim)
        if self.deadline is not None and time.monotonic() > self.deadline:
            ns["_n"] -= k
            ns["_L"] = -1
            raise TimeLimitExceeded(self.limits.seconds)
        hook = self.count_hook
        if hook is not None and ns["_n"] >= self.hook_next and not self.in_hook:
            times = 1 + (ns["_n"] - self.hook_next) // self.hook_every  # one call per `every` passed
            self.hook_next += times * self.hook_every
            self._set_threshold()
            self.in_hook = True
            try:
                for _ in range(times):
                    before = ns["_n"]
                    hook()  # Lua code: metered like any other, but not counted toward the next call
                    self.hook_next += ns["_n"] - before
            finally:
                self.in_hook = False
            self._set_threshold()
            return
        self._set_threshold()

    def charge(self, k: int) -> None:
        ns = self.ns
        n = ns["_n"] = ns["_n"] + k
        if n > ns["_L"]:
            self.check(k)

    # -------------------------------------------------------------- memory accounting

    def alloc(self, nbytes: int) -> None:
        """Account ``nbytes`` about to be allocated; refuse before allocating past the limit.

        Crossing the collection threshold first measures what is still live (heap.py), so
        garbage the script dropped is given back, at this deterministic point.
        """
        m = self.memory + nbytes
        if m > self.gc_threshold:
            self.collect()
            m = self.memory + nbytes
        lim = self.limits.memory
        if lim is not None and m > lim:
            raise MemoryLimitExceeded(lim)
        self.memory = m
        if m > self.memory_peak:
            self.memory_peak = m

    def collect(self) -> None:
        """Reset the accounted memory to the live size and set the next threshold."""
        if self.collector is not None:
            self.memory = self.collector()
            lim = self.limits.memory
            # what was measured live counts toward the peak, up to the limit it was admitted under
            self.memory_peak = max(self.memory_peak, self.memory if lim is None else min(self.memory, lim))
        lim = self.limits.memory
        nxt = max(2 * self.memory, GC_MIN_THRESHOLD)
        self.gc_threshold = min(nxt, lim) if lim is not None else nxt

    def free(self, nbytes: int) -> None:
        self.memory = max(0, self.memory - nbytes)

    def stats(self) -> Stats:
        return Stats(self.instructions, self.memory, self.memory_peak, time.monotonic() - self.started)
