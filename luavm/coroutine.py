"""Lua coroutines as Python generators: no thread per coroutine.

A coroutine runs the generator twin of its body (genops.py explains generator mode): calls
inside it are ``yield from``, and ``coroutine.yield`` is one Python ``yield`` whose values come
out of ``gen.send`` here. ``resume`` is ``gen.send(args)``: a nested resume is a nested Python
call, bounded by ``MAX_RESUME_DEPTH`` like PUC's C stack. Everything runs on the thread that
runs the script, so execution and metering stay deterministic, and a suspended coroutine is a
chain of suspended generator frames: about 2.5 KB of real memory for a shallow one (PUC: ~1 KB).

``close`` of a suspended coroutine throws ``CoroutineKill`` at its yield point: pending
``<close>`` variables run with a nil error, in the coroutine (``coroutine.running()`` is it), and
may not yield (PUC: "attempt to yield across a C-call boundary"). A coroutine that is simply
dropped is collected without running anything, as in PUC (Python's GeneratorExit passes the
generated code's handlers untouched).

Memory: a coroutine is charged ``COROUTINE_SIZE`` when created and ``FRAME_SIZE`` per level of
its deepest suspension (charged when it suspends); heap.py counts the frames of suspended
coroutines and their locals as live.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generator

from luavm.callstack import CHUNKS, STACK_BOTTOMS, SyntheticFrame
from luavm.errors import LuaError
from luavm.ops import SPARE_PARAMS, fit_args

if TYPE_CHECKING:
    from luavm.genops import GenOps
    from luavm.runtime import LuaRuntime

RESUME_COST = 2  # a resume/yield pair costs about as much time as 2 instructions (1.2 us)
START_COST = 20  # the first resume builds the generators (and the body's twin): ~15 us
MAX_RESUME_DEPTH = 196  # coroutines resuming coroutines, as deep as PUC's C stack allows
FRAME_SIZE = 1024  # real size of one suspended generator frame and its locals (1,040-1,280 B measured)


class CoroutineKill(BaseException):
    """Unwinds a suspended coroutine that is being closed (never visible to Lua)."""


def _body(genops: GenOps, fn: Any, args: tuple) -> Generator:
    """The outermost generator of a coroutine: its function's results are its return value
    (genops.gcall inlined: one generator less in every suspended coroutine).

    A plain function, not a method: the generator must not hold its Coroutine (a cycle would
    leave a dropped coroutine's memory to Python's cyclic collector)."""
    g = genops.gf(fn)
    if len(args) > SPARE_PARAMS:
        args = fit_args(g, args)
    r = yield from g(*args)
    if type(r) is list:
        r = yield from genops.gtramp(r)
    return r


STACK_BOTTOMS.add(_body.__code__)  # a coroutine's Lua levels end at its body, as in PUC


def _error_frames(tb: Any) -> list:
    """The levels of a coroutine that died by an error, as PUC keeps them (debug.traceback and
    getinfo of a dead coroutine): the frames of the error's traceback inside the coroutine,
    innermost first, as code/line/position snapshots (no locals kept alive)."""
    out = []
    inside = False
    while tb is not None:
        code = tb.tb_frame.f_code
        if inside:
            f = SyntheticFrame(code)
            f.f_lineno = tb.tb_lineno
            f.f_lasti = tb.tb_lasti
            out.append(f)
        elif code is _body.__code__:
            inside = True
        tb = tb.tb_next
    out.reverse()
    return out


class Coroutine:
    """A Lua thread. ``status`` is 'suspended', 'running', 'normal' or 'dead'."""

    __slots__ = ("rt", "fn", "status", "gen", "error_value", "is_main", "serial", "closing", "dead_frames",
                 "depth", "__weakref__")
    _serials = iter(range(1 << 62))

    def __init__(self, rt: LuaRuntime, fn: Any, is_main: bool = False):
        self.rt = rt
        self.fn = fn
        self.status = "running" if is_main else "suspended"
        self.gen: Generator | None = None  # created by the first resume
        self.error_value: Any = None
        self.dead_frames: list | None = None  # a coroutine dead by an error: its levels then
        self.is_main = is_main
        self.serial = next(Coroutine._serials)
        self.closing = False  # running its __close handlers for coroutine.close: may not yield
        self.depth = 0  # deepest suspension charged so far, in frames

    def __repr__(self) -> str:
        return f"<Coroutine {self.status} 0x{id(self):08x}>"

    @property
    def started(self) -> bool:
        return self.gen is not None

    def debug_frames(self) -> list:
        """The Python frames of this suspended coroutine's levels, innermost first, down to its
        body (callstack.coroutine_frames: what the debug library reads for a thread argument)."""
        if self.status == "dead" and self.dead_frames is not None:
            return list(self.dead_frames)
        if self.status != "suspended" or self.gen is None:
            return []
        out = []
        g: Any = self.gen
        while g is not None and g.gi_frame is not None:
            out.append(g.gi_frame)
            g = g.gi_yieldfrom
        out.reverse()
        if out and out[0].f_code.co_filename in CHUNKS:
            # suspended in a twin's in-place yield: PUC's innermost level is the C yield
            y = self.rt.__dict__.get("_yield_plain") or self.rt.ns.get("_YIELD")
            code = getattr(y, "__code__", None)
            if code is not None:
                out.insert(0, SyntheticFrame(code))
        return out

    def status_name(self) -> str:
        """The status coroutine.status reports (the main coroutine's is not tracked by resume)."""
        if self.is_main:
            return "running" if self.rt.current_coroutine is None else "normal"
        return self.status

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
        ns = rt.ns
        cost = RESUME_COST if self.gen is not None else START_COST
        if (n := ns["_n"] + cost) > ns["_L"]:
            rt.charge(cost)
        else:
            ns["_n"] = n
        prev = rt.current_coroutine
        if prev is not None:
            prev.status = "normal"
        self.status = "running"
        rt.current_coroutine = self
        rt.resume_depth += 1
        try:
            gen = self.gen
            if gen is None:
                gen = self.gen = _body(rt.genops, self.fn, args)
                self.fn = None  # the generator holds it now
                out = gen.send(None)
            else:
                out = gen.send(args)
        except StopIteration as e:
            self._end()
            return True, e.value
        except LuaError as e:
            self._end()
            self.error_value = e.value
            self.dead_frames = _error_frames(e.__traceback__)
            return False, (e.value,)
        except RecursionError as e:
            self._end()
            self.error_value = rt.stack_overflow_value(e)
            return False, (self.error_value,)
        except BaseException:  # LimitExceeded or a luavm bug: not a Lua error, never swallowed
            self._end()
            raise
        finally:
            rt.resume_depth -= 1
            rt.current_coroutine = prev
            if prev is not None:
                prev.status = "running"
        self.status = "suspended"
        # charge the frames of a deeper suspension than any charged before (heap.py
        # measures them exactly at the next collection)
        d = 0
        while gen is not None:
            d += 1
            gen = gen.gi_yieldfrom
        if d > self.depth:
            rt.alloc((d - self.depth) * FRAME_SIZE)
            self.depth = d
        return True, out

    def _end(self) -> None:
        self.status = "dead"
        self.gen = None

    def close(self) -> tuple[bool, Any]:
        """coroutine.close: unwind a suspended coroutine, running its pending __close."""
        st = self.status_name()
        if st == "suspended" and self.gen is not None:
            return self._kill()
        if st in ("suspended", "dead"):
            self._end()
            if self.error_value is not None:
                ev, self.error_value = self.error_value, None
                return False, ev
            return True, None
        raise LuaError(f"cannot close a {st} coroutine", level=1)

    def _kill(self) -> tuple[bool, Any]:
        rt = self.rt
        prev = rt.current_coroutine
        if prev is not None:
            prev.status = "normal"
        self.status = "running"
        self.closing = True
        rt.current_coroutine = self
        rt.resume_depth += 1
        gen = self.gen
        try:
            exc: BaseException = CoroutineKill()
            while True:
                gen.throw(exc)
                # a __close yielded: PUC runs them with no yields allowed, so the yield fails
                exc = LuaError(b"attempt to yield across a C-call boundary")
        except (CoroutineKill, StopIteration):
            return True, None
        except LuaError as e:
            return False, e.value
        except RecursionError as e:
            return False, rt.stack_overflow_value(e)
        finally:
            rt.resume_depth -= 1
            rt.current_coroutine = prev
            if prev is not None:
                prev.status = "running"
            self.closing = False
            self._end()

    def drop(self) -> None:
        """Forget a suspended coroutine without running its __close (runtime shutdown, as
        lua_close does for threads other than the main one)."""
        gen = self.gen
        self._end()
        if gen is not None:
            gen.close()
