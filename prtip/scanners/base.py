"""What every scanner shares: the probe loop (window, rate, adaptive timeouts, retries).

A scanner sends one probe per port and waits for an answer. :class:`ProbeLoop` owns the
bookkeeping so that each scanner only says how to *send* a probe and how to read an *answer*:

- at most ``window`` probes are in flight (unless ``--min-rate`` says we are behind);
- sends are paced by the scan-wide :class:`RateLimiter` (``--max-rate``) and ``--scan-delay``;
- a probe unanswered after the adaptive timeout is sent again, up to ``max_retries`` times, then
  gets the scanner's no-response state: retries are what make a lossy network give the same
  answers as a clean one;
- every final answer goes to ``emit`` at once (results stream, so Ctrl-C loses nothing).

The loop is callback driven (no task per port): a 65535-port scan costs one heap entry and a
few dict operations per probe, which is what keeps -p- within a small factor of nmap.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from abc import ABC, abstractmethod
from collections import deque
from typing import Callable, Iterable

from prtip.model import NO_RESPONSE, PortResult, Target
from prtip.timing import Timing

Emit = Callable[[PortResult], None]
BURST = 512  # probes sent per event-loop turn, so that answers and Ctrl-C are not starved


class RttEstimator:
    """Smoothed round-trip time → probe timeout (srtt + 4·rttvar, clamped), as in RFC 6298."""

    def __init__(self, timing: Timing) -> None:
        self.lo, self.hi = timing.min_rtt_timeout, timing.max_rtt_timeout
        self.srtt: float | None = None
        self.rttvar = 0.0
        self.timeout = timing.initial_rtt_timeout

    def update(self, rtt: float) -> None:
        if self.srtt is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt
        self.timeout = min(self.hi, max(self.lo, self.srtt + 4 * self.rttvar))


class RateLimiter:
    """Scan-wide send pacing: --max-rate caps probes/second, --min-rate sets a floor."""

    def __init__(self, max_rate: float | None = None, min_rate: float | None = None) -> None:
        self.max_rate, self.min_rate = max_rate, min_rate
        self.start = time.monotonic()
        self.sent = 0

    def delay(self) -> float:
        """Seconds to wait before the next probe may go out (0: now)."""
        if not self.max_rate:
            return 0.0
        due = self.start + self.sent / self.max_rate
        return max(0.0, due - time.monotonic())

    def behind(self) -> bool:
        """True when sending slower than --min-rate (then the window may be exceeded)."""
        if not self.min_rate:
            return False
        return self.sent < (time.monotonic() - self.start) * self.min_rate


class ProbeLoop(ABC):
    """Probes one host's ports for one protocol; subclasses send probes and report answers."""

    protocol = "tcp"
    no_response_state = "filtered"

    def __init__(self, target: Target, ports: Iterable[int], timing: Timing, rate: RateLimiter,
                 emit: Emit, window: int | None = None) -> None:
        self.target, self.timing, self.rate, self.emit = target, timing, rate, emit
        self.window = max(1, window or timing.parallelism)
        self.queue: deque[tuple[int, int]] = deque((p, 0) for p in ports)
        self.inflight: dict[int, tuple[float, int]] = {}  # port → (sent at, attempt)
        self.deadlines: list[tuple[float, int, int]] = []  # heap of (deadline, port, attempt)
        self.rtt = RttEstimator(timing)
        self.done_count = 0
        self._last_send = 0.0
        self._finished: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._pump_scheduled = False

    # ---- what a scanner implements ------------------------------------------------------------
    @abstractmethod
    def send(self, port: int, attempt: int) -> None:
        """Send the probe for `port` (it may call answer() at once, e.g. an instant refusal)."""

    def poll(self, port: int) -> bool:
        """Last look before a probe times out (an answer may be waiting); True if answered."""
        return False

    def discard(self, port: int) -> None:
        """Free what the probe for `port` holds (socket, reader)."""

    def teardown(self) -> None:
        """Free everything at the end or on cancellation."""

    # ---- called by scanners -------------------------------------------------------------------
    def answer(self, port: int, state: str, reason: str, banner: bytes | None = None) -> None:
        """A final answer for `port` (ignored if the port is no longer waiting)."""
        entry = self.inflight.pop(port, None)
        if entry is None:
            return
        self.rtt.update(time.monotonic() - entry[0])
        self.discard(port)
        self._final(port, state, reason, banner)

    def again(self, port: int) -> None:
        """Send the probe for `port` once more, without counting it as a retry."""
        entry = self.inflight.pop(port, None)
        if entry is not None:
            self.discard(port)
            self.queue.appendleft((port, entry[1]))
            self._schedule_pump()

    # ---- the loop -----------------------------------------------------------------------------
    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self._finished = loop.create_future()
        try:
            self._pump()
            self._tick()
            await self._finished
        finally:
            if self._timer:
                self._timer.cancel()
            for port in list(self.inflight):
                self.discard(port)
            self.teardown()

    def _final(self, port: int, state: str, reason: str, banner: bytes | None = None) -> None:
        self.done_count += 1
        self.emit(PortResult(self.target.address, port, self.protocol, state, reason, banner=banner))
        if not self.queue and not self.inflight:
            if self._finished and not self._finished.done():
                self._finished.set_result(None)
        else:
            self._schedule_pump()

    def _schedule_pump(self) -> None:
        if not self._pump_scheduled and self._finished is not None:
            self._pump_scheduled = True
            asyncio.get_running_loop().call_soon(self._pump)

    def _pump(self) -> None:
        self._pump_scheduled = False
        loop = asyncio.get_running_loop()
        budget = BURST
        delay_needed = 0.0
        while self.queue and budget:
            if len(self.inflight) >= self.window and not self.rate.behind():
                return  # an answer or a timeout will pump again
            wait = self.rate.delay()
            if self.timing.scan_delay:
                wait = max(wait, self._last_send + self.timing.scan_delay - time.monotonic())
            if wait > 0:
                delay_needed = wait
                break
            port, attempt = self.queue.popleft()
            now = time.monotonic()
            self._last_send = now
            self.rate.sent += 1
            budget -= 1
            self.inflight[port] = (now, attempt)
            self.send(port, attempt)
            if port in self.inflight:  # not answered at once: it needs a deadline
                heapq.heappush(self.deadlines, (now + self.rtt.timeout, port, attempt))
        if delay_needed:
            self._pump_scheduled = True
            loop.call_later(delay_needed, self._pump)
        elif self.queue and not budget:
            self._schedule_pump()

    def _tick(self) -> None:
        now = time.monotonic()
        expired = False
        while self.deadlines and self.deadlines[0][0] <= now:
            _, port, attempt = heapq.heappop(self.deadlines)
            entry = self.inflight.get(port)
            if entry is None or entry[1] != attempt:
                continue  # answered, or already resent
            if self.poll(port):
                continue
            del self.inflight[port]
            self.discard(port)
            expired = True
            if attempt < self.timing.max_retries:
                self.queue.append((port, attempt + 1))
            else:
                self._final(port, self.no_response_state, NO_RESPONSE)
        if expired:
            self._schedule_pump()
        if self._finished is not None and not self._finished.done():
            step = min(0.05, max(0.005, self.rtt.timeout / 4))
            self._timer = asyncio.get_running_loop().call_later(step, self._tick)


class Scanner(ABC):
    """One scan technique (-sT, -sS, -sU...) for a whole scan; `scan` runs one host."""

    scan_type = ""  # nmap's scaninfo type
    protocol = "tcp"

    def __init__(self, timing: Timing, rate: RateLimiter, window: int | None = None) -> None:
        self.timing, self.rate, self.window = timing, rate, window

    @abstractmethod
    async def scan(self, target: Target, ports: Iterable[int], emit: Emit) -> None:
        """Probe `ports` of `target`, emitting one PortResult per port."""

    async def close(self) -> None:
        """Release scan-wide resources (raw sockets)."""

