"""Banner grabbing: talk to one TCP port and record every exchange as bytes.

The conversation, as nmap's version scan has it:

1. connect and read passively: most services greet first (SSH, FTP, SMTP, POP3, IMAP, MySQL,
   rsync). A greeting ends the plain-text part; an SMTP greeting gets an EHLO on the same
   connection. A connection closed before any byte ends everything ("tcpwrapped").
2. silence: send the probes of `probes.probe_order` one per connection (the first reuses the
   silent one), until `identify` says a probe proved enough: a version, or an answer to the
   service's own probe. An answer that names another service (Redis answering HTTP) moves that
   service's own probe to the front.
3. "tls" in that order: a handshake with verification off; when it works, steps 1 and 2 run
   again inside TLS, and nothing more is tried outside it.

Waits come from `timeout` (connect and read deadline): a silent port costs a short passive wait
(shorter still where the usual service is client-first), each probe at most the response wait.
Every network error ends the grab with what was captured so far and a one-line `error`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from dataclasses import dataclass, field
from typing import Callable

from prtip.service.identify import identify
from prtip.service.probes import (BY_NAME, NULL, PROBES, SMTP_EHLO, TLS, greeting_complete,
                                  is_client_first, probe_order)
from prtip.model import METHOD_PORT
from prtip.service.records import BannerCapture, Exchange, TlsSession

READ_LIMIT = 65536   # bytes kept per exchange
IDLE_GAP = 0.3       # after some data, this much silence ends an answer that is not complete
NETWORK_ERRORS = (OSError, asyncio.TimeoutError, ssl.SSLError, EOFError, asyncio.IncompleteReadError)


@dataclass(frozen=True)
class Waits:
    """How long to wait for each step, derived from the scan's timeout."""

    connect: float
    passive: float
    response: float

    @classmethod
    def for_port(cls, port: int, timeout: float) -> Waits:
        passive = min(max(timeout * 0.4, 0.3), 3.0)
        if is_client_first(port):
            passive = min(max(timeout * 0.1, 0.1), 0.5)
        return cls(connect=timeout, passive=min(passive, timeout),
                   response=min(max(timeout * 0.6, 0.5), timeout))


def client_tls_context() -> ssl.SSLContext:
    """TLS that talks to anything: no verification, old versions and weak ciphers allowed."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):  # a build without legacy support keeps its defaults
        pass
    return ctx


class _Connection:
    """One open TCP (or TLS) stream."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tls: bool):
        self.reader, self.writer, self.tls = reader, writer, tls
        self.closed = False

    async def exchange(self, name: str, payload: bytes, complete: Callable[[bytes], bool],
                       wait: float) -> Exchange:
        if payload:
            try:
                self.writer.write(payload)
                await asyncio.wait_for(self.writer.drain(), wait)
            except NETWORK_ERRORS:
                self.closed = True
                return Exchange(name, payload, b"", self.tls, True)
        data, closed = await self._read(wait, complete)
        self.closed = self.closed or closed
        return Exchange(name, payload, data, self.tls, closed)

    async def _read(self, wait: float, complete: Callable[[bytes], bool]) -> tuple[bytes, bool]:
        loop = asyncio.get_running_loop()
        hard_deadline = loop.time() + wait + 2.0
        data = bytearray()
        while len(data) < READ_LIMIT:
            step = wait if not data else min(IDLE_GAP, hard_deadline - loop.time())
            if step <= 0:
                break
            try:
                chunk = await asyncio.wait_for(self.reader.read(4096), step)
            except asyncio.TimeoutError:
                break
            except NETWORK_ERRORS:
                return bytes(data), True
            if not chunk:
                return bytes(data), True
            data += chunk
            if complete(bytes(data)):
                break
        return bytes(data[:READ_LIMIT]), False

    def send_quietly(self, payload: bytes) -> None:
        try:
            self.writer.write(payload)
        except NETWORK_ERRORS:
            pass

    def close(self) -> None:
        # abort, not a graceful close: waiting for a TLS close_notify could take a full timeout
        self.writer.transport.abort()


@dataclass
class _Grab:
    """The state of one port's conversation."""

    host: str
    port: int
    timeout: float
    intensity: int
    exhaustive: bool
    exchanges: list[Exchange] = field(default_factory=list)
    tls: TlsSession | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        self.waits = Waits.for_port(self.port, self.timeout)

    def capture(self) -> BannerCapture:
        return BannerCapture(self.host, self.port, tuple(self.exchanges), self.tls, self.error)

    async def connect(self, tls: bool) -> _Connection | None:
        kwargs: dict = {}
        if tls:
            kwargs = {"ssl": client_tls_context(), "ssl_handshake_timeout": self.waits.connect,
                      "server_hostname": "" if _is_address(self.host) else self.host}
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, limit=READ_LIMIT, **kwargs),
                self.waits.connect * (2 if tls else 1))
        except NETWORK_ERRORS as exc:
            if tls:
                self.exchanges.append(Exchange(TLS, b"", b"", False, True))
            else:
                self.error = _describe(exc)
            return None
        if tls:
            sslobj = writer.get_extra_info("ssl_object")
            if sslobj is not None:
                cipher = sslobj.cipher()
                self.tls = TlsSession(sslobj.version() or "", cipher[0] if cipher else "")
        return _Connection(reader, writer, tls)

    def done(self, inside_tls: bool) -> bool:
        """True when what we have is as good as probing gets (see the module docstring)."""
        if self.exhaustive:
            return False
        info = identify(self.port, self.capture())
        if info is None or info.method == METHOD_PORT or info.name == "tcpwrapped":
            return False
        if info.version is not None:
            return True
        own = [p.name for p in PROBES if p.service == info.name]
        if not own:
            return True
        return any(e.probe in own and e.tls == inside_tls for e in self.exchanges)

    def moved_forward(self, order: list[str]) -> list[str]:
        """`order` with the own probe of the service identified so far at the front."""
        info = identify(self.port, self.capture())
        if info is None or info.method == METHOD_PORT:
            return order
        own = [n for n in order if BY_NAME.get(n) and BY_NAME[n].service == info.name]
        return own + [n for n in order if n not in own]

    async def greet(self, tls: bool) -> tuple[_Connection | None, bool]:
        """Connect and read passively; (the connection if it stays silent, whether it spoke)."""
        conn = await self.connect(tls)
        if conn is None:
            return None, False
        wait = self.waits.passive
        greeting = await conn.exchange(NULL, b"", greeting_complete, wait)
        self.exchanges.append(greeting)
        if greeting.received:
            if greeting.received.startswith(b"220") and not greeting.closed and \
                    b"FTP" not in greeting.received[:200].upper():
                ehlo = await conn.exchange(SMTP_EHLO.name, SMTP_EHLO.build(self.host),
                                           SMTP_EHLO.complete, self.waits.response)
                self.exchanges.append(ehlo)
                conn.send_quietly(b"QUIT\r\n")
            conn.close()
            return None, True
        if greeting.closed:
            conn.close()
            return None, False
        return conn, False

    async def probe(self, order: list[str], conn: _Connection | None, tls: bool) -> None:
        """Send the probes in `order` (one per connection) until `done`."""
        tried: set[str] = set()
        while True:
            remaining = [n for n in order if n not in tried]
            if not remaining or self.done(tls):
                break
            name = self.moved_forward(remaining)[0]
            tried.add(name)
            if name == TLS:
                if conn is not None:
                    conn.close()
                    conn = None
                if await self.run_tls() and not self.exhaustive:
                    break
                continue
            if conn is None or conn.closed:
                if conn is not None:
                    conn.close()
                conn = await self.connect(tls)
                if conn is None:
                    break
            spec = BY_NAME[name]
            self.exchanges.append(await conn.exchange(name, spec.build(self.host), spec.complete,
                                                      self.waits.response))
            conn.close()
            conn = None
        if conn is not None:
            conn.close()

    async def run_tls(self) -> bool:
        """Handshake, then greeting and probes inside TLS; False when TLS is not spoken here."""
        conn, spoke = await self.greet(tls=True)
        if self.tls is None:
            return False
        if not spoke and conn is not None:
            await self.probe(probe_order(self.port, self.intensity, inside_tls=True), conn, True)
        return True

    async def run(self, tls: bool | None) -> None:
        if tls:
            await self.run_tls()
            return
        conn, spoke = await self.greet(tls=False)
        if self.error is not None or (not spoke and conn is None):
            return  # refused, or closed on us before a word (tcpwrapped)
        if spoke and not self.exhaustive:
            return
        order = probe_order(self.port, self.intensity)
        if tls is False:
            order = [n for n in order if n != TLS]
        await self.probe(order, conn, False)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")


async def grab_banner(host: str, port: int, *, timeout: float, tls: bool | None = None,
                      intensity: int = 7, exhaustive: bool = False) -> BannerCapture:
    """Everything `port` says to a passive read and then to active probes, as bytes.

    `tls`: None tries plain first and TLS where it fits, True goes straight to TLS, False never
    tries it. `exhaustive` sends every probe even after one has proved enough (corpus capture).
    """
    grab = _Grab(host, port, timeout, intensity, exhaustive)
    try:
        await grab.run(tls)
    except NETWORK_ERRORS as exc:
        grab.error = _describe(exc)
    return grab.capture()
