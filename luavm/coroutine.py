"""Lua coroutines, each run on its own Python thread with strict hand-off.

Why threads: compiled Lua functions are ordinary Python functions, so a coroutine must be able
to suspend with any Python stack below it (yield across pcall, metamethods, iterators). Only
one thread ever runs Lua at a time: resume hands control over and blocks until the coroutine
yields, returns or fails, so execution (and metering) stays deterministic. Coroutines share
their creator's runtime, namespace and meter, hence its budget.

A suspended coroutine that is closed, or whose runtime is closed, is unwound by raising
``CoroutineKill`` at its yield point; pending ``<close>`` variables run with a nil error.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from luavm.errors import LimitExceeded, LuaError

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

COROUTINE_STACK_SIZE = 64 * 2**20
RESUME_COST = 20  # a switch between threads costs about as much time as 20 instructions
START_COST = 500  # the first resume starts the coroutine's thread: about 500 instructions' time
MAX_RESUME_DEPTH = 196  # coroutines resuming coroutines, as deep as PUC's C stack allows
_stack_lock = threading.Lock()


class CoroutineKill(BaseException):
    """Unwinds a suspended coroutine that is being closed (never visible to Lua)."""


def start_thread(target: Any, stack_size: int, name: str) -> threading.Thread:
    """Start a daemon thread with its own stack size (threading.stack_size is process-wide)."""
    with _stack_lock:
        old = threading.stack_size()
        threading.stack_size(stack_size)
        try:
            th = threading.Thread(target=target, name=name, daemon=True)
            th.start()
        finally:
            threading.stack_size(old)
    return th


class Coroutine:
    """A Lua thread. ``status`` is 'suspended', 'running', 'normal' or 'dead'."""

    __slots__ = ("rt", "fn", "status", "thread", "_transfer", "_to_co", "_to_resumer",
                 "error_value", "is_main", "serial", "__weakref__")
    _serials = iter(range(1 << 62))

    def __init__(self, rt: LuaRuntime, fn: Any, is_main: bool = False):
        self.rt = rt
        self.fn = fn
        self.status = "running" if is_main else "suspended"
        self.thread: threading.Thread | None = None
        self._transfer: tuple = ()
        self._to_co = threading.Semaphore(0)
        self._to_resumer = threading.Semaphore(0)
        self.error_value: Any = None
        self.is_main = is_main
        self.serial = next(Coroutine._serials)

    def __repr__(self) -> str:
        return f"<Coroutine {self.status} 0x{id(self):08x}>"

    # ---------------------------------------------------------------- resumer side

    def resume(self, args: tuple) -> tuple[bool, tuple]:
        """Run until the next yield/return/error. LimitExceeded passes through untouched."""
        if self.status == "dead":
            return False, (b"cannot resume dead coroutine",)
        if self.status != "suspended":
            return False, (b"cannot resume non-suspended coroutine",)
        rt = self.rt
        if rt.resume_depth >= MAX_RESUME_DEPTH:  # PUC: LUAI_MAXCCALLS C levels
            return False, (b"C stack overflow",)
        # charged before any state changes, so a limit stop leaves the coroutine suspended
        rt.charge(RESUME_COST if self.thread is not None else START_COST)
        prev = rt.current_coroutine
        if prev is not None:
            prev.status = "normal"
        self.status = "running"
        rt.current_coroutine = self
        self._transfer = ("resume", args)
        rt.resume_depth += 1
        try:
            if self.thread is None:
                self.thread = start_thread(self._main, COROUTINE_STACK_SIZE, "luavm-coroutine")
            else:
                self._to_co.release()
            self._to_resumer.acquire()
        finally:
            rt.resume_depth -= 1
            rt.current_coroutine = prev
            if prev is not None:
                prev.status = "running"
        kind, payload = self._transfer
        self._transfer = ()
        if kind == "yield":
            self.status = "suspended"
            return True, payload
        self.status = "dead"
        self.thread = None
        if kind == "return":
            return True, payload
        if kind == "error":
            self.error_value = payload
            return False, (payload,)
        raise payload  # a LimitExceeded or a luavm bug: not a Lua error, never swallowed

    def close(self) -> tuple[bool, Any]:
        """coroutine.close: unwind a suspended coroutine, running its pending __close."""
        if self.status == "suspended" and self.thread is not None:
            self._transfer = ("kill", ())
            self._to_co.release()
            self._to_resumer.acquire()
            kind, payload = self._transfer
            self.status = "dead"
            self.thread = None
            if kind == "error":
                return False, payload
            if kind not in ("killed", "return"):
                raise payload
            return True, None
        if self.status in ("suspended", "dead"):
            self.status = "dead"
            if self.error_value is not None:
                ev, self.error_value = self.error_value, None
                return False, ev
            return True, None
        raise LuaError(f"cannot close a {self.status} coroutine", level=1)

    # ---------------------------------------------------------------- coroutine side

    def _main(self) -> None:
        rt = self.rt
        rt.mark_lua_thread()
        _, args = self._transfer
        try:
            self._transfer = ("return", rt.call(self.fn, *args))
        except LuaError as e:
            self._transfer = ("error", e.value)
        except RecursionError as e:
            self._transfer = ("error", rt.stack_overflow_value(e))
        except CoroutineKill:
            self._transfer = ("killed", ())
        except BaseException as e:  # LimitExceeded or a luavm bug: re-raised in the resumer
            self._transfer = ("raise", e)
        finally:
            self._to_resumer.release()

    def yield_(self, values: tuple) -> tuple:
        """Called on this coroutine's own thread: hand values to the resumer and wait."""
        self._transfer = ("yield", values)
        self._to_resumer.release()
        self._to_co.acquire()
        kind, args = self._transfer
        if kind == "kill":
            raise CoroutineKill()
        return args


def is_limit(e: BaseException) -> bool:
    return isinstance(e, LimitExceeded)
