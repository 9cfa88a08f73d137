"""HookRunner: the thread a plugin's Lua code runs on, watched so that a stuck call cannot stop the scan.

luavm checks the time limit inside the running code, so a hook normally ends by itself within
its limit. This is the host's second line, for the case where luavm fails to (a builtin that
runs long between two checks, a deadlock between luavm's own threads):

1. The call runs on the plugin host's Lua thread (large stack, as luavm's worker: deep Lua
   recursion ends in "stack overflow", not a crash); the scan's thread waits for it at most
   the time limit plus GRACE. One thread serves every plugin, as calls are sequential anyway:
   a thread per plugin would give each its own malloc arena, and memory one plugin freed
   would stay in the process's RSS while the next plugin allocates in another arena.
2. Past that, :class:`HookOverrun` is raised asynchronously in the plugin's thread; pure
   Python code (all of luavm) sees it at its next bytecode. The call ends as a time limit.
3. If the thread still does not come back within ABANDON more seconds (it is blocked in a
   lock or a C call that releases the GIL), it is abandoned: the next call gets a new thread,
   this one ends as a time limit, and the plugin instance it was running is dropped (its
   state is unknown); the host loads the plugin afresh.

A C call that holds the GIL (a single huge CPython operation) stops every thread, the scan's
included, until it returns; only luavm's own bounds on builtins prevent that.

A job may run several hook calls (a batch: one thread hand-off for many port results). It then
moves its :class:`CallClock` as each call begins, and the limit counts from there: every call
of a batch has the whole time limit, and an interrupted batch ends at the call it stopped.
"""

from __future__ import annotations

import _thread
import ctypes
import queue
import threading
import time
from typing import Any, Callable

STACK_SIZE = 1024 * 2**20  # as luavm's own Lua thread: room for its recursion limit of Python frames
# Together under issue 11's bound: a 5 s limit ends a call within 5.1 s. An interruption reaches
# Python code within microseconds; a thread that has not answered 40 ms later is blocked (a
# lock, a long C call) and is given up; if it ever returns, it sees the interruption and ends.
GRACE = 0.03  # seconds past the time limit before the call is interrupted
ABANDON = 0.04  # seconds after the interruption before the thread is given up


class HookOverrun(BaseException):
    """Raised in a plugin's thread whose call outlived its time limit (not catchable by pcall,
    which catches only Lua errors; BaseException so that no ``except Exception`` swallows it)."""


class HookAbandoned(Exception):
    """The call's thread did not stop when interrupted and was given up."""


class CallClock:
    """When the call now running began (time.monotonic(), the start of its budget)."""

    __slots__ = ("started",)

    def __init__(self, started: float) -> None:
        self.started = started


class _Job:
    """One call handed to the runner's thread. ``done`` is a bare lock, held until the call
    ends: waiting on it costs one futex wake-up (an Event builds a Condition per wait)."""

    __slots__ = ("fn", "value", "error", "done", "finished")

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = _thread.allocate_lock()
        self.done.acquire()
        self.finished = False

    def finish(self) -> None:
        self.finished = True
        self.done.release()

    def wait(self, seconds: float | None) -> bool:
        """True when the call ended within ``seconds`` (None: however long it takes)."""
        return self.done.acquire(True, -1 if seconds is None else seconds)


class HookRunner:
    """Runs calls one at a time on a thread of its own (started on first use, replaced when stuck).

    ``fn`` must make its thread usable for Lua itself (luavm: ``rt.mark_lua_thread()``)."""

    _shared: "HookRunner | None" = None
    _lock = threading.Lock()

    def __init__(self, name: str) -> None:
        self.name = name
        self.jobs: queue.SimpleQueue[_Job | None] | None = None
        self.thread: threading.Thread | None = None
        self.abandoned = 0

    def _start(self) -> None:
        jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        old = threading.stack_size()
        threading.stack_size(STACK_SIZE)
        try:
            thread = threading.Thread(target=_serve, args=(jobs,), name=f"prtip {self.name}", daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
        self.jobs, self.thread = jobs, thread

    @classmethod
    def shared(cls) -> "HookRunner":
        """The process's runner for plugin calls."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls("plugins")
            return cls._shared

    def run(self, fn: Callable[[], Any], seconds: float | None, started: float | CallClock | None = None) -> Any:
        """``fn()`` on the runner's thread; HookOverrun or HookAbandoned if it outlives ``seconds``
        counted from ``started`` (time.monotonic(), when the call's budget began; default now;
        a CallClock when ``fn`` runs a batch of calls and moves it as each begins)."""
        if threading.current_thread() is self.thread:  # a call from within a call: already watched
            return fn()
        with self._lock:
            if self.thread is None or not self.thread.is_alive():
                self._start()
        job = _Job(fn)
        assert self.jobs is not None and self.thread is not None
        clock = started if isinstance(started, CallClock) else CallClock(
            time.monotonic() if started is None else started)
        self.jobs.put(job)
        while True:
            begun = clock.started
            wait = None if seconds is None else max(0.0, begun + seconds + GRACE - time.monotonic())
            if job.wait(wait):
                return self._result(job)
            if clock.started == begun:  # the same call is still running: it has outlived its limit
                break
        _interrupt(self.thread)
        if job.wait(ABANDON):
            return self._result(job)
        # the thread is stuck where no exception reaches it: give it up, start afresh next call
        self.abandoned += 1
        self.jobs.put(None)  # if it ever comes back, it ends
        self.jobs = self.thread = None
        raise HookAbandoned(f"the call did not stop {ABANDON:g} s after its interruption")

    @staticmethod
    def _result(job: _Job) -> Any:
        if job.error is not None:
            error, job.error = job.error, None
            raise error
        return job.value

    def close(self) -> None:
        if self.jobs is not None:
            self.jobs.put(None)
        self.jobs = self.thread = None


def _serve(jobs: queue.SimpleQueue) -> None:
    """A runner thread: run jobs until told to stop (None). An interruption that arrives
    after its call already ended (a race with the waiting thread) is ignored."""
    job: _Job | None = None
    while True:
        try:
            job = jobs.get()
            if job is None:
                return
            try:
                job.value = job.fn()
            except BaseException as exc:  # handed to the waiting thread as is
                job.error = exc
            job.finish()
        except HookOverrun:
            if job is not None and not job.finished:
                job.error = HookOverrun()
                job.finish()


def _interrupt(thread: threading.Thread) -> None:
    """Raise HookOverrun in ``thread`` at its next Python bytecode."""
    ident = thread.ident
    if ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(HookOverrun))
