"""What every scanner shares: the probe loop (window, rate, adaptive timeouts, retries).

A scanner sends one probe per port and waits for an answer. :class:`ProbeLoop` owns the
bookkeeping so that each scanner only says how to *send* a probe and how to read an *answer*:

- at most ``window`` probes are in flight (unless ``--min-rate`` says we are behind);
- sends are paced by the scan-wide :class:`RateLimiter` (``--max-rate``) and ``--scan-delay``;
- a probe unanswered after the adaptive timeout is sent again, up to ``max_retries`` times, then
  gets the scanner's no-response state: retries are what make a lossy network give the same
  answers as a clean one;
- every final answer goes to ``emit`` at once (results stream, so Ctrl-C loses nothing).

The loop is callback driven (no task per port) and works in bursts: an unpaced scan sends up to
``BURST`` probes per event-loop turn with one clock reading and one deadline entry per burst, so
a 65535-port scan costs a few dict operations per probe. A loop may also take its ports a chunk
at a time from a queue it shares with a worker process (``more``, scanners/worker.py), and hand
its answers to ``record`` instead of building PortResults (the worker's side of that pipe).
"""

from __future__ import annotations

import asyncio
import heapq
import time
from abc import ABC, abstractmethod
from collections import deque
from typing import Callable, Iterable

from prtip.model import NO_RESPONSE, PortResult, Target, bare_result
from prtip.timing import Timing

Emit = Callable[[PortResult], None]
Record = Callable[[int, str, str, "bytes | None"], None]  # port, state, reason, banner
More = Callable[[], list[int]]  # the next ports to probe; [] when there are no more
BURST = 512  # probes sent per event-loop turn, so that answers and Ctrl-C are not starved
Probe = tuple[int, int]  # (port, attempt)


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
                 emit: Emit | None, window: int | None = None, *, more: More | None = None,
                 record: Record | None = None) -> None:
        self.target, self.timing, self.rate, self.emit = target, timing, rate, emit
        self.window = max(1, window or timing.parallelism)
        self.queue: deque[Probe] = deque((p, 0) for p in ports)
        # retransmissions wait until no new port is left (here or in the shared queue), so the
        # ports that answer are found first, also when --host-timeout cuts the scan short
        self.retries: deque[Probe] = deque()
        self.more = more
        self.record: Record = record or self._result
        self.inflight: dict[int, tuple[float, int]] = {}  # port → (sent at, attempt)
        # heap of (deadline, burst number, sent at, probes of that burst): one entry per burst
        self.deadlines: list[tuple[float, int, float, list[Probe]]] = []
        self.bursts = 0
        self.settled = 0  # answers settle()d during the current burst
        self.paced = bool(rate.max_rate or rate.min_rate or timing.scan_delay)
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

    def send_burst(self, probes: list[Probe]) -> None:
        """Send several probes; scanners with a cheaper batch path override this."""
        for port, attempt in probes:
            self.send(port, attempt)

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

    def settle(self, port: int, state: str, reason: str) -> None:
        """A final answer that came while its burst was being sent (send_burst only): the probe
        loop takes one round-trip sample for the whole burst and pumps once after it."""
        if self.inflight.pop(port, None) is not None:
            self.settled += 1
            self.done_count += 1
            self.record(port, state, reason, None)

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

    def _result(self, port: int, state: str, reason: str, banner: bytes | None) -> None:
        assert self.emit is not None
        self.emit(bare_result(self.target.address, port, self.protocol, state, reason, banner))

    def _final(self, port: int, state: str, reason: str, banner: bytes | None = None) -> None:
        self.done_count += 1
        self.record(port, state, reason, banner)
        if self._idle():
            self._finish()
        else:
            self._schedule_pump()

    def _idle(self) -> bool:
        """Nothing in flight and nothing left to send."""
        return not (self.queue or self.retries or self.inflight or self.more is not None)

    def _finish(self) -> None:
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(None)

    def _refill(self) -> None:
        """Next probes to send: a chunk of new ports from the shared queue, or else (none
        left) the retransmissions."""
        if self.more is not None:
            ports = self.more()
            if ports:
                self.queue.extend((p, 0) for p in ports)
                return
            self.more = None
        self.queue.extend(self.retries)
        self.retries.clear()

    def _schedule_pump(self) -> None:
        if not self._pump_scheduled and self._finished is not None:
            self._pump_scheduled = True
            asyncio.get_running_loop().call_soon(self._pump)

    def _pump(self) -> None:
        self._pump_scheduled = False
        if self.paced:
            self._pump_paced()
            return
        room = min(BURST, self.window - len(self.inflight))
        if room <= 0:
            return  # an answer or a timeout will pump again
        queue = self.queue
        if len(queue) < room and (self.more is not None or self.retries):
            self._refill()
        count = min(room, len(queue))
        if not count:
            if self._idle():
                self._finish()
            return
        popleft = queue.popleft
        burst = [popleft() for _ in range(count)]
        now = time.monotonic()
        sent = (now, 0)
        inflight = self.inflight
        for probe in burst:
            # one clock reading per burst: a round trip is measured from the burst's start,
            # at most a burst's sending time (a few ms) longer than it was
            inflight[probe[0]] = (now, probe[1]) if probe[1] else sent
        self.rate.sent += count
        self._last_send = now
        self.settled = 0
        self.send_burst(burst)
        if self.settled:
            self.rtt.update(time.monotonic() - now)
        if self.settled < count:
            self.bursts += 1
            heapq.heappush(self.deadlines, (now + self.rtt.timeout, self.bursts, now, burst))
        if queue or self.retries or self.more is not None:
            self._schedule_pump()
        elif not self.inflight:
            self._finish()

    def _pump_paced(self) -> None:
        """The probe-by-probe pump for --max-rate, --min-rate and --scan-delay."""
        loop = asyncio.get_running_loop()
        budget = BURST
        delay_needed = 0.0
        while budget:
            if not self.queue:
                if self.more is None and not self.retries:
                    break
                self._refill()
                continue
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
                self.bursts += 1
                heapq.heappush(self.deadlines, (now + self.rtt.timeout, self.bursts, now, [(port, attempt)]))
        if delay_needed:
            self._pump_scheduled = True
            loop.call_later(delay_needed, self._pump)
        elif (self.queue or self.retries or self.more is not None) and not budget:
            self._schedule_pump()
        elif self._idle():
            self._finish()

    def _tick(self) -> None:
        now = time.monotonic()
        expired = False
        deadlines, inflight = self.deadlines, self.inflight
        while deadlines and deadlines[0][0] <= now:
            _, _, sent, burst = heapq.heappop(deadlines)
            for port, _ in burst:
                entry = inflight.get(port)
                if entry is None or entry[0] != sent:
                    continue  # answered, or sent again since (a later burst has it)
                if self.poll(port):
                    continue
                del inflight[port]
                self.discard(port)
                expired = True
                if entry[1] < self.timing.max_retries:
                    self.retries.append((port, entry[1] + 1))
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
