"""The second core: a forked worker process that probes part of a large scan's ports.

A -p- scan of a nearby host is bound by the CPU (system calls and bookkeeping per port), and
Python runs it on one core. So a host's large port list is cut into chunks, the chunks' numbers
are written into a pipe once, and two processes read them, one chunk at a time, whenever their
probe loop runs short of work: the parent (which also turns every result into a PortResult and
feeds the pipeline) and a worker forked from it. Whichever process has the more CPU takes the
more chunks, so the split balances itself, also when another program holds one core.

The worker runs its own event loop and probe loop (its own sockets: a raw scan gets its own
source port and BPF filter), with timeouts and retransmissions of its own, and writes each
final answer as a 4-byte record into a results pipe, in batches, at least every
``FLUSH_INTERVAL``; the parent emits them as they arrive, so results stream as before.

Invariants:

- the worker never touches the parent's event loop, outputs or plugin hooks: it only probes,
  and ends by ``os._exit`` (nothing inherited is flushed or closed twice); it lets go of every
  descriptor it inherited but stdio and its two pipes, so the parent's sockets close when the
  parent closes them (an open port's connection must not stay up in the worker);
- Ctrl-C belongs to the parent (the worker ignores SIGINT): the parent kills the worker, then
  emits every record already in the pipe, so an interrupted scan keeps what both found;
- every port gets its answer: ports the worker took but never answered (it died) are probed
  again by the parent after the worker's end;
- only scans that send unpaced (no --max-rate, --min-rate, --scan-delay: their budgets are the
  parent's) and large enough to repay a fork, one worker at a time per scanner.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import os
import signal
import struct
import sys
from array import array
from typing import Awaitable, Callable, Iterator, NoReturn, Sequence

from prtip.model import (ADMIN_PROHIBITED, CLOSED, CLOSED_FILTERED, CONN_REFUSED, FILTERED,
                         HOST_UNREACH, NET_UNREACH, NO_RESPONSE, OPEN, OPEN_FILTERED, PORT_UNREACH,
                         PROTO_UNREACH, RESET, SYN_ACK, UDP_RESPONSE, UNFILTERED, PortResult, Target,
                         bare_result)
from prtip.scanners.base import Emit, More, RateLimiter, Record
from prtip.timing import Timing

MIN_PORTS = 2048    # fewer ports finish before a fork pays for itself
CHUNK = 256         # ports per chunk of the shared queue
FLUSH_BYTES = 4096  # the worker writes its records in batches of this size...
FLUSH_INTERVAL = 0.02  # ...or at least this often (seconds)
PIPE_SIZE = 1 << 20
F_SETPIPE_SZ = 1031

STATES = (OPEN, CLOSED, FILTERED, UNFILTERED, OPEN_FILTERED, CLOSED_FILTERED)
REASONS = (SYN_ACK, RESET, CONN_REFUSED, NO_RESPONSE, PORT_UNREACH, HOST_UNREACH, NET_UNREACH,
           PROTO_UNREACH, ADMIN_PROHIBITED, UDP_RESPONSE)
_STATE_CODES = {s: i for i, s in enumerate(STATES)}
_REASON_CODES = {r: i for i, r in enumerate(REASONS)}
_RECORD = struct.Struct("=HBB")  # port, state, reason

# How a scanner probes some ports: (ports, window, more, record, emit). With `more`, the loop
# takes its ports from the shared queue; with `record`, it writes answers there instead of `emit`.
RunPart = Callable[[list[int], int, More | None, Record | None, Emit | None], Awaitable[None]]


_core_share: int | None = None  # set by share_cores: this process's part of a shared machine


def cores() -> int:
    """The CPUs this process may run on (at most its share, while one is set)."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    return count if _core_share is None else min(count, _core_share)


@contextlib.contextmanager
def share_cores(share: int) -> Iterator[None]:
    """While it lasts, scans in this process count ``share`` CPUs at most: a Dask worker that
    shares its machine with other workers (cluster.py) forks no second prober onto a core
    another worker's scan already keeps busy."""
    global _core_share
    before, _core_share = _core_share, max(1, share)
    try:
        yield
    finally:
        _core_share = before


class WorkQueue:
    """A host's port list as numbered chunks in a pipe: each read takes the next one.

    `private` ports are the worker's alone (see connect.py: the ephemeral range); it takes them
    first, then shares the rest with the parent (which has the results to emit besides).
    """

    def __init__(self, ports: list[int], private: Sequence[int] = (), chunk: int = CHUNK) -> None:
        self.ports, self.chunk = ports, chunk
        self.private = [list(private[i:i + chunk]) for i in range(0, len(private), chunk)]
        self.private.reverse()
        count = -(-len(ports) // chunk)
        self.fd, writer = os.pipe()
        try:
            # every chunk number is written before anyone reads (65536 ports: 512 bytes, far
            # below a pipe's capacity), so a read never waits and an empty pipe means the end
            os.write(writer, array("H", range(count)).tobytes())
        finally:
            os.close(writer)

    def take(self) -> list[int]:
        """The next shared chunk ([] at the end)."""
        data = os.read(self.fd, 2)
        if len(data) < 2:
            return []
        i = array("H", data)[0]
        return self.ports[i * self.chunk:(i + 1) * self.chunk]

    def take_first_private(self) -> list[int]:
        """The worker's next chunk: its private ports first, then shared ones."""
        return self.private.pop() if self.private else self.take()

    def close(self) -> None:
        os.close(self.fd)


class RecordWriter:
    """The worker's end of the results pipe: one fixed-size record per final answer."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def add(self, port: int, state: str, reason: str, banner: bytes | None) -> None:
        assert banner is None, "the worker only runs scans without banners"
        self.buf += _RECORD.pack(port, _STATE_CODES[state], _REASON_CODES[reason])
        if len(self.buf) >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        view = memoryview(self.buf)
        while view:
            view = view[os.write(self.fd, view):]
        view.release()
        self.buf.clear()


class RecordReader:
    """The parent's end of the results pipe: records → PortResults, as they arrive."""

    def __init__(self, fd: int, address: str, protocol: str, emit: Emit) -> None:
        self.fd, self.address, self.protocol, self.emit = fd, address, protocol, emit
        self.rest = b""
        self.loop = asyncio.get_running_loop()
        self.done: asyncio.Future[None] = self.loop.create_future()
        self.loop.add_reader(fd, self._readable)

    def _readable(self) -> None:
        data = os.read(self.fd, PIPE_SIZE)
        if not data:
            self._eof()
            return
        self._records(data)

    def _records(self, data: bytes) -> None:
        data = self.rest + data if self.rest else data
        whole = len(data) - len(data) % _RECORD.size
        self.rest = data[whole:]
        address, protocol, emit = self.address, self.protocol, self.emit
        for port, state, reason in _RECORD.iter_unpack(memoryview(data)[:whole]):
            emit(bare_result(address, port, protocol, STATES[state], REASONS[reason]))

    def _eof(self) -> None:
        if not self.done.done():
            self.loop.remove_reader(self.fd)
            self.done.set_result(None)

    def drain(self) -> None:
        """After the worker was stopped: emit what it had written (read to the end of file)."""
        self._eof()
        while data := os.read(self.fd, PIPE_SIZE):
            self._records(data)

    def close(self) -> None:
        self._eof()
        os.close(self.fd)


def _close_inherited(keep: set[int]) -> None:
    """Drop the worker's hold on every inherited descriptor but `keep`. Each is pointed at
    /dev/null rather than closed: its number stays taken, so an inherited socket object that is
    ever freed here closes /dev/null, never a socket the worker opened since."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd not in keep and fd != null:
                try:
                    os.dup2(null, fd)
                except OSError:
                    pass  # the directory listing's own descriptor, already closed
    finally:
        os.close(null)


def _worker_main(run: RunPart, window: int, queue: WorkQueue, out: int) -> NoReturn:
    """The forked process: probe chunks from the queue until it is empty, then exit."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it stops us
        signal.set_wakeup_fd(-1)  # the parent loop's wake-up pipe is not ours to write
        gc.freeze()  # inherited objects stay out of collections: no copy-on-write of the heap
        _close_inherited(keep={0, 1, 2, queue.fd, out})
        writer = RecordWriter(out)

        async def probe() -> None:
            loop = asyncio.get_running_loop()
            part = loop.create_task(run([], window, queue.take_first_private, writer.add, None))
            while not part.done():
                await asyncio.wait((part,), timeout=FLUSH_INTERVAL)
                writer.flush()
            part.result()

        asyncio.new_event_loop().run_until_complete(probe())  # a loop of its own
        writer.flush()
        status = 0
    except BaseException as exc:  # noqa: BLE001 - the parent probes what we leave undone
        try:
            sys.stderr.write(f"prtip: scan worker failed ({exc!r}); the main process finishes its ports\n")
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(status)


class Splitter:
    """Runs one host's scan in the parent, with a worker process when that pays (one at a time)."""

    def __init__(self, timing: Timing, rate: RateLimiter, window: int | None, protocol: str,
                 worker_only: range | None = None) -> None:
        self.timing, self.rate, self.protocol = timing, rate, protocol
        self.worker_only = worker_only  # ports one process must probe: the worker, while there is one
        self.window = max(1, window or timing.parallelism)
        self.busy = False

    def worth_it(self, ports: list[int]) -> bool:
        """Whether to fork for a host's `ports`."""
        paced = self.rate.max_rate or self.rate.min_rate or self.timing.scan_delay
        return (len(ports) >= MIN_PORTS and not paced and not self.busy and self.window >= 2
                and cores() >= 2)

    async def scan(self, target: Target, ports: list[int], emit: Emit, run: RunPart) -> None:
        if not self.worth_it(ports):
            await run(ports, self.window, None, None, emit)
            return
        seen = bytearray(65536)

        def mark(result: PortResult) -> None:
            seen[result.port] = 1
            emit(result)

        own = self.worker_only
        if own is None:
            queue = WorkQueue(ports)
        else:
            queue = WorkQueue([p for p in ports if p not in own], [p for p in ports if p in own])
        self.busy = True
        try:
            await self._split(target, queue, mark, run)
        finally:
            self.busy = False
        missing = [p for p in ports if not seen[p]]
        if missing:
            await run(missing, self.window, None, None, emit)

    async def _split(self, target: Target, queue: WorkQueue, emit: Emit, run: RunPart) -> None:
        half = max(1, self.window // 2)  # the parallelism is the host's, shared by both
        reader_fd, writer_fd = os.pipe()
        try:
            fcntl.fcntl(writer_fd, F_SETPIPE_SZ, PIPE_SIZE)
        except OSError:
            pass  # a smaller pipe only makes the worker wait for the parent more often
        try:
            pid = os.fork()
        except OSError:
            os.close(reader_fd)
            os.close(writer_fd)
            try:
                await run([], self.window, queue.take_first_private, None, emit)
            finally:
                queue.close()
            return
        if pid == 0:
            os.close(reader_fd)
            _worker_main(run, half, queue, writer_fd)
        os.close(writer_fd)
        reader = RecordReader(reader_fd, target.address, self.protocol, emit)
        finished = False
        try:
            await run([], half, queue.take, None, emit)
            await reader.done
            finished = True
        finally:
            if not finished:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                reader.drain()
            os.waitpid(pid, 0)
            reader.close()
            queue.close()
