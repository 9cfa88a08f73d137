"""The TCP sockets a plugin opens with prtip.connect: owned by the plugin, closed after each hook.

Every blocking operation waits at most the smaller of the timeout the plugin asked for and
what is left of the hook call's time budget, so a plugin cannot outlive its time limit inside
a socket call (the Lua meter only sees time spent running Lua). Who may be connected to is
decided by the caller (api.py); this module only keeps the sockets.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
from typing import Callable

MAX_SOCKETS = 16  # open at once per plugin
MAX_RECEIVE = 65536


class SocketTable:
    """A plugin's sockets by id. Ids count up from 1 and are never reused in one load."""

    def __init__(self, remaining: Callable[[], float]) -> None:
        self.remaining = remaining  # seconds left in the current hook call (raises when none)
        self.sockets: dict[int, socket.socket] = {}
        self.next_id = 1

    def connect(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int,
                timeout: float) -> tuple[int | None, str | None]:
        """(socket id, None) or (None, why): a refused or timed out connection is not an error."""
        if len(self.sockets) >= MAX_SOCKETS:
            raise OverflowError(f"too many open sockets (at most {MAX_SOCKETS} per plugin)")
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        budget = self.remaining()
        sock.settimeout(max(0.0, min(timeout, budget)))
        try:
            sock.connect((str(address), port))
        except (socket.timeout, BlockingIOError):
            sock.close()
            self.remaining()  # raises if it was the hook's own time limit that ran out
            return None, "timeout"
        except OSError as exc:
            sock.close()
            return None, describe(exc)
        sid = self.next_id
        self.next_id += 1
        self.sockets[sid] = sock
        return sid, None

    def get(self, sid: int) -> socket.socket | None:
        return self.sockets.get(sid)

    def send(self, sid: int, data: bytes) -> tuple[int | None, str | None]:
        sock = self.sockets[sid]
        sock.settimeout(max(0.0, self.remaining()))
        sent = 0
        try:
            view = memoryview(data)
            while sent < len(data):
                sock.settimeout(max(0.0, self.remaining()))
                sent += sock.send(view[sent:])
        except socket.timeout:
            self.remaining()
            return (sent or None), "timeout"
        except OSError as exc:
            return (sent or None), describe(exc)
        return sent, None

    def receive(self, sid: int, max_bytes: int, timeout: float) -> tuple[bytes, str | None]:
        """Up to ``max_bytes`` from one read; b"" with "timeout" or "closed" when nothing came."""
        sock = self.sockets[sid]
        sock.settimeout(max(0.0, min(timeout, self.remaining())))
        try:
            data = sock.recv(max_bytes)
        except (socket.timeout, BlockingIOError):
            self.remaining()
            return b"", "timeout"
        except OSError as exc:
            return b"", describe(exc)
        return data, (None if data else "closed")

    def close(self, sid: int) -> bool:
        sock = self.sockets.pop(sid, None)
        if sock is None:
            return False
        sock.close()
        return True

    def close_all(self) -> int:
        """Close everything (after each hook call); returns how many were left open."""
        n = len(self.sockets)
        if not n:  # the common case, once per hook call
            return 0
        for sock in self.sockets.values():
            sock.close()
        self.sockets.clear()
        return n


def describe(exc: OSError) -> str:
    """'connection refused' rather than '[Errno 111] Connection refused'."""
    if exc.errno is not None:
        if exc.errno == errno.ECONNREFUSED:
            return "connection refused"
        return os.strerror(exc.errno).lower()
    return str(exc) or type(exc).__name__
