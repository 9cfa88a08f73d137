"""A burst of packets per system call: sendmmsg(2) and recvmmsg(2) for the raw engine, via ctypes.

On loopback or a LAN a raw scan spends most of its time entering the kernel once per probe and
once per answer; Python's socket module has no sendmmsg/recvmmsg, so these classes call libc's
with buffers set up once: every slot of the send buffer starts as a copy of the probe template
and only its port and checksum are patched per probe; the receive buffer is a ring of fixed-size
slots whose lengths recvmmsg fills in. About a fifth of a -sS -p- scan's CPU time goes away.

Where libc lacks them (`available()` is False) raw.py keeps one sendto()/recv() per packet.
Only IPv4 answers are read in batches (their source address is in the IP header; IPv6 raw
sockets give it only as a socket address per message).
"""

from __future__ import annotations

import ctypes
import errno
import socket
import struct
from typing import Callable, Iterable

MSG_DONTWAIT = 0x40


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class _MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.c_void_p),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class _MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", _MsgHdr), ("len", ctypes.c_uint)]


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library Python itself is linked with
        libc.sendmmsg, libc.recvmmsg  # noqa: B018 - both must exist
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


def available() -> bool:
    return _LIBC is not None


def _sockaddr(dst: str) -> bytes:
    if ":" in dst:  # sockaddr_in6: family, port, flowinfo, address, scope id
        return struct.pack("=HHI16sI", socket.AF_INET6, 0, 0, socket.inet_pton(socket.AF_INET6, dst), 0)
    return struct.pack("=HH4s8x", socket.AF_INET, 0, socket.inet_aton(dst))


def _ring(count: int, size: int, name: ctypes.Array | None = None):
    """`count` messages of `size` bytes each in one buffer, and their headers."""
    buf = ctypes.create_string_buffer(count * size)
    iovs = (_IoVec * count)()
    msgs = (_MMsgHdr * count)()
    base = ctypes.addressof(buf)
    for i in range(count):
        iovs[i].base, iovs[i].len = base + i * size, size
        msgs[i].hdr.iov, msgs[i].hdr.iovlen = ctypes.addressof(iovs[i]), 1
        if name is not None:
            msgs[i].hdr.name, msgs[i].hdr.namelen = ctypes.addressof(name), len(name)
    return buf, iovs, msgs


class BatchSender:
    """Sends many probes made from one template to one destination, `capacity` per call."""

    def __init__(self, sock: socket.socket, dst: str, template: bytes, capacity: int) -> None:
        assert _LIBC is not None
        self.fd, self.size, self.capacity = sock.fileno(), len(template), capacity
        self._name = ctypes.create_string_buffer(_sockaddr(dst), len(_sockaddr(dst)))
        self._buf, self._iovs, self._msgs = _ring(capacity, self.size, self._name)
        ctypes.memmove(self._buf, bytes(template) * capacity, self.size * capacity)
        self.view = memoryview(self._buf).cast("B")

    def send(self, ports: Iterable[int], patch: Callable[[memoryview, int, int], None],
             dropped: Callable[[OSError], None]) -> None:
        """Patch one slot per port (patch(view, offset, port)) and send them all; a probe the
        kernel refuses goes to dropped(error), which raises unless it was only lost locally."""
        view, size, capacity = self.view, self.size, self.capacity
        count = 0
        for port in ports:
            patch(view, count * size, port)
            count += 1
            if count == capacity:
                self._flush(count, dropped)
                count = 0
        if count:
            self._flush(count, dropped)

    def _flush(self, count: int, dropped: Callable[[OSError], None]) -> None:
        sent = 0
        while sent < count:
            done = _LIBC.sendmmsg(self.fd, ctypes.byref(self._msgs[sent]), count - sent, 0)
            if done > 0:
                sent += done
                continue
            err = ctypes.get_errno()
            dropped(OSError(err, errno.errorcode.get(err, str(err))))
            sent += 1  # that probe is lost: its timeout and retries cover it


class BatchReceiver:
    """Reads up to `capacity` datagrams of at most `size` bytes per call (non-blocking)."""

    def __init__(self, sock: socket.socket, capacity: int = 256, size: int = 128) -> None:
        assert _LIBC is not None
        self.fd, self.capacity, self.size = sock.fileno(), capacity, size
        self._buf, self._iovs, self._msgs = _ring(capacity, size)
        self.view = memoryview(self._buf).cast("B")
        self._headers = memoryview(self._msgs).cast("B")
        self._len = struct.Struct("=I")
        self._len_at, self._step = _MMsgHdr.len.offset, ctypes.sizeof(_MMsgHdr)

    def length(self, i: int) -> int:
        """The length of message i of the last receive()."""
        return self._len.unpack_from(self._headers, i * self._step + self._len_at)[0]

    def receive(self) -> int:
        """How many messages are now in the buffer (0: none waiting)."""
        got = _LIBC.recvmmsg(self.fd, self._msgs, self.capacity, MSG_DONTWAIT, None)
        if got < 0:
            err = ctypes.get_errno()
            if err in (errno.EAGAIN, errno.EINTR):
                return 0
            raise OSError(err, errno.errorcode.get(err, str(err)))
        return got
