"""Helpers and fixtures for the scanner tests: real listeners on 127.0.0.1, running the CLI.

(A uniquely named module rather than conftest.py, so that `from scanner_helpers import ...`
cannot pick up another test directory's conftest.)

Every network test talks to 127.0.0.1 / ::1 only (or to the network namespace that
test_netns.py creates and removes itself).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    status: int
    out: str
    err: str


def prtip(*args: str, timeout: float = 120, input: str | None = None) -> Run:
    """Run `python -m prtip ARGS` in a subprocess, the way a user runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "prtip", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT, input=input)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def prtip_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


class TcpListener:
    """A TCP server on 127.0.0.1 that accepts, optionally greets, and closes."""

    def __init__(self, family: int = socket.AF_INET, host: str = "127.0.0.1", greeting: bytes = b"") -> None:
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(512)
        self.port = self.sock.getsockname()[1]
        self.greeting = greeting
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                if self.greeting:
                    conn.sendall(self.greeting)
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class UdpEcho:
    """A UDP server on 127.0.0.1 that answers every datagram."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
                self.sock.sendto(b"pong:" + data[:20], peer)
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()


def listening_tcp_ports() -> set[int]:
    """TCP ports in LISTEN state on this machine (IPv4 and IPv6), from /proc."""
    ports = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(path) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":  # TCP_LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports



def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port nothing listens on right now (bound, then released)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def listeners():
    """Two open TCP ports on 127.0.0.1 and one closed one: (open1, open2, closed)."""
    a, b = TcpListener(), TcpListener(greeting=b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    closed = free_port()
    yield a.port, b.port, closed
    a.close()
    b.close()


@pytest.fixture
def udp_echo():
    server = UdpEcho()
    yield server.port
    server.close()


is_root = os.geteuid() == 0
needs_root = pytest.mark.skipif(not is_root, reason="raw scans need root")
