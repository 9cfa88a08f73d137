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
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

from luavm.errors import InstructionLimitExceeded, LimitExceeded, MemoryLimitExceeded, TimeLimitExceeded

# How many instructions may run between two looks at the clock. At luavm's speed this is well
# under a millisecond, so a time limit is honoured within a few milliseconds.
TIME_CHECK_INTERVAL = 2_000
# The call stack is memory too: each Python frame of a deep recursion holds about 1-1.6 KiB of
# real memory (frame object, locals, C stack), so at every periodic check the frames above the
# host's count this much each toward the memory limit (the accounted heap figure is unchanged).
STACK_FRAME_BYTES = 1024

# Size model (docs/METERING.md): what each allocation is charged, in bytes. The figures are
# CPython's real sizes (sys.getsizeof, tracemalloc), so the accounted figure stays within 2x of
# the process's real memory: a bytes object is 33 bytes + its text; a LuaTable (a dict) 104
# bytes empty and ~40-50 per entry plus the number objects it holds; a function 152 bytes and
# a cell per upvalue.
STRING_OVERHEAD = 40
TABLE_OVERHEAD = 104
SLOT_SIZE = 56
CLOSURE_OVERHEAD = 160
UPVALUE_SIZE = 56
COROUTINE_SIZE = 1024  # a coroutine object, its twin function and its place in the live set (coroutine.py)
VALUE_SIZE = 8
# a value passed in `...` beyond SPARE_PARAMS: a tuple slot (8) and the collector's walk of it (8)
VARARG_SLOT_SIZE = 16
# Compiling a chunk for `load` (runtime.compile), per token of its source: the parse is charged
# as it goes (the lexer reports every 256 tokens), code generation and Python's compile() before
# they start. The bytes are what these stages really hold at their peak (tracemalloc): given
# back when the compile ends. A loaded chunk is then charged CHUNK_OVERHEAD + CODE_BYTES_PER_TOKEN
# per token while a function of it is reachable (chunks.py).
COMPILE_INSTRUCTIONS = 300  # any compile, even of `return 1`, takes ~0.3-0.6 ms
PARSE_INSTRUCTIONS_PER_TOKEN = 4
COMPILE_INSTRUCTIONS_PER_TOKEN = 12
PARSE_BYTES_PER_TOKEN = 128
COMPILE_BYTES_PER_TOKEN = 4096  # 2-5 KB measured on real and generated chunks
CHUNK_OVERHEAD = 2048
CODE_BYTES_PER_TOKEN = 256
# The parse, code generation and compile() cannot stop midway: each is refused when this
# estimate of its duration (a slow case) would pass the deadline.
PARSE_SECONDS_PER_TOKEN = 10e-6
COMPILE_SECONDS_PER_TOKEN = 40e-6

# A traversal snapshot (table.next_key, pairs): a list slot, an index entry and its position
# number per key; copying the keys runs at C speed, charged one instruction per 8 keys.
SNAPSHOT_SLOT_SIZE = 80
SNAPSHOT_SHIFT = 3

# Accounted memory is re-measured (garbage given back) when it first passes this many bytes,
# then whenever it doubles the live size measured last time, or reaches the limit.
GC_MIN_THRESHOLD = 4 * 2**20
# At the limit, a measurement runs only if at least this fraction of the live size measured
# last time was allocated since: a measurement walks the live heap, so each one is paid for by
# allocations proportional to it (without this, a script ~200 bytes under its limit made every
# allocation walk the whole heap). A script whose live data is within a fifth of its limit may
# therefore stop where a full collection would have let it go on; it is still deterministic.
GC_LIMIT_GROWTH = 0.25
# Frames the limit machinery may use above Python's recursion limit, so a limit reached at the
# deepest point of the stack is raised as itself, never turned into a catchable stack overflow.
LIMIT_HEADROOM = 400

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
        self.stack_base = 0  # Python frames of the host below the Lua code (mark_stack_base)
        self.measured = 0  # live size found by the last measurement (0: measure when needed)
        self.tripped: LimitExceeded | None = None  # the limit that stopped this budget window
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

    def reset_window(self) -> float:
        """Start a fresh instruction and time budget (the plugin host does this per hook call);
        returns when it started."""
        self.instruction_base = self.ns["_n"]
        self.tripped = None
        # what the stopped script left is garbage now: the next measurement must not wait
        # for allocations (GC_LIMIT_GROWTH), which a full runtime could never make
        self.measured = 0
        self.started = time.monotonic()
        self.deadline = None if self.limits.seconds is None else self.started + self.limits.seconds
        self._set_threshold()
        return self.started

    def mark_stack_base(self) -> None:
        """The host's own frames below the Lua code about to run do not count as its stack."""
        depth, f = 0, sys._getframe(1)
        while f is not None:
            depth += 1
            f = f.f_back
        self.stack_base = depth

    def _set_threshold(self) -> None:
        n = self.ns["_n"]
        lim = self.limits.instructions
        periodic = self.deadline is not None or self.limits.memory is not None  # time, stack depth
        nxt = n + TIME_CHECK_INTERVAL if periodic else None
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
            self.stop(InstructionLimitExceeded, lim)
        if self.deadline is not None and time.monotonic() > self.deadline:
            ns["_n"] -= k
            ns["_L"] = -1
            self.stop(TimeLimitExceeded, self.limits.seconds)
        mem = self.limits.memory
        if mem is not None and _deeper_than(self.stack_base + (mem - self.measured) // STACK_FRAME_BYTES):
            ns["_n"] -= k
            ns["_L"] = -1
            self.stop(MemoryLimitExceeded, mem)
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

    def check_deadline(self) -> None:
        """For long-running work outside generated code (a heap walk, a parse): stop at the deadline."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.ns["_L"] = -1
            self.stop(TimeLimitExceeded, self.limits.seconds)

    def refuse_past_deadline(self, seconds: float) -> None:
        """Work that cannot stop midway and may take ``seconds``: stop now if it would end past
        the deadline (it could not be interrupted there)."""
        if self.deadline is not None and time.monotonic() + seconds > self.deadline:
            self.ns["_L"] = -1
            self.stop(TimeLimitExceeded, self.limits.seconds)

    def stop(self, kind: type[LimitExceeded], limit: float | int) -> None:
        """Raise a limit error, with frames to spare: at the bottom of a deep stack, building it
        must not hit Python's recursion limit (a RecursionError would read as a catchable Lua
        "stack overflow"). The error is remembered so a stack overflow caught while it unwinds
        re-raises it (runtime.stack_overflow_value)."""
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(old + LIMIT_HEADROOM)
        try:
            exc = kind(limit)
        finally:
            sys.setrecursionlimit(old)
        self.tripped = exc
        raise exc

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
            self._slow_alloc(nbytes)
            return
        self.memory = m
        if m > self.memory_peak:
            self.memory_peak = m

    def _slow_alloc(self, nbytes: int) -> None:
        """Past the collection threshold: measure (amortized, see GC_LIMIT_GROWTH), then admit
        the allocation or refuse it, with frames to spare for both (see ``stop``)."""
        lim = self.limits.memory
        m = self.memory + nbytes
        grown = self.memory - self.measured
        if lim is None or m <= lim or (self.measured + nbytes <= lim
                                       and grown >= GC_LIMIT_GROWTH * self.measured):
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(old + LIMIT_HEADROOM)
            try:
                self.collect()
            finally:
                sys.setrecursionlimit(old)
            m = self.memory + nbytes
        if lim is not None and m > lim:
            self.stop(MemoryLimitExceeded, lim)
        self.memory = m
        if m > self.memory_peak:
            self.memory_peak = m

    def collect(self) -> None:
        """Reset the accounted memory to the live size and set the next threshold."""
        if self.collector is not None:
            self.memory = self.measured = self.collector()
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


def _deeper_than(frames: int) -> bool:
    """More than ``frames`` Python frames on this stack (a walk of at most that many)."""
    if frames < 0:
        return True
    try:
        sys._getframe(frames)
    except ValueError:
        return False
    return True
