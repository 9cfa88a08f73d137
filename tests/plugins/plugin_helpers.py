"""Helpers and fixtures for the plugin tests: a private $PRTIP_HOME, plugin folders, real 127.0.0.1 servers,
and a way to run the prtip command the way a user does.

Network rule: everything talks to 127.0.0.1; 127.0.0.2 plays the "not a target" address and
nothing ever listens there or anywhere off loopback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from prtip.plugins.manager import PluginManager
from prtip.plugins.settings import PluginSettings, load_settings

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("launcher.py")


def write_plugin(root: Path, name: str, main: str, plugin_type: str = "detection",
                 capabilities: tuple[str, ...] = (), extra: str = "", folder: str | None = None) -> Path:
    """A plugin folder with a valid manifest (plus ``extra`` TOML) and ``main`` as main.lua."""
    folder_path = root / (folder or name)
    folder_path.mkdir(parents=True, exist_ok=True)
    caps = ", ".join(f'"{c}"' for c in capabilities)
    (folder_path / "plugin.toml").write_text(textwrap.dedent(f"""\
        [plugin]
        name = "{name}"
        version = "1.0.0"
        author = "Test Author <test@example.com>"
        description = "A plugin written by the test suite"
        plugin_type = "{plugin_type}"
        capabilities = [{caps}]
        """) + textwrap.dedent(extra))
    (folder_path / "main.lua").write_text(textwrap.dedent(main))
    return folder_path


@dataclass
class Home:
    """A $PRTIP_HOME for one test."""

    path: Path

    @property
    def plugins(self) -> Path:
        return self.path / "plugins"

    @property
    def log(self) -> Path:
        return self.path / "logs" / "prtip.log"

    def config(self, text: str) -> None:
        (self.path / "config.toml").write_text(textwrap.dedent(text))

    def settings(self) -> PluginSettings:
        return load_settings(self.path, system_config=None, system_plugin_path=None)

    def manager(self, **kwargs) -> PluginManager:
        return PluginManager(settings=self.settings(), **kwargs)

    def plugin(self, name: str, main: str, plugin_type: str = "detection", capabilities: tuple[str, ...] = (),
               extra: str = "") -> Path:
        return write_plugin(self.plugins, name, main, plugin_type, capabilities, extra)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Home:
    h = Home(tmp_path / "prtip-home")
    h.plugins.mkdir(parents=True)
    monkeypatch.setenv("PRTIP_HOME", str(h.path))
    return h


# ---------------------------------------------------------------- servers on 127.0.0.1

class Server:
    """A TCP server on 127.0.0.1: sends ``greeting`` on accept, then answers each read with
    ``reply`` (or echoes it, prefixed with "echo:") until the client closes."""

    def __init__(self, greeting: bytes = b"", reply: bytes | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.greeting, self.reply = greeting, reply
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            try:
                if self.greeting:
                    conn.sendall(self.greeting)
                conn.settimeout(10)
                while True:
                    data = conn.recv(65536)
                    if not data:
                        return
                    self.received.append(data)
                    conn.sendall(self.reply if self.reply is not None else b"echo:" + data)
            except OSError:
                return

    def close(self) -> None:
        try:  # wakes the accepting thread: a closed socket stays listening while accept() blocks
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


@pytest.fixture
def server():
    servers: list[Server] = []

    def make(greeting: bytes = b"", reply: bytes | None = None) -> Server:
        s = Server(greeting, reply)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the prtip command

@dataclass
class Run:
    status: int
    out: str
    err: str

    def json(self, path: Path) -> dict:
        return json.loads(path.read_text())


def cli_wired() -> bool:
    """True once prtip/cli.py has the plugin options itself."""
    from prtip.cli import scan_command

    return any(p.name == "plugins" for p in scan_command.params)


def prtip(home: Home, *args: str, timeout: float = 120) -> Run:
    """Run the prtip command in a subprocess with $PRTIP_HOME set, as a user would."""
    env = dict(os.environ, PRTIP_HOME=str(home.path),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "prtip"] if cli_wired() else [sys.executable, str(LAUNCHER)]
    proc = subprocess.run(command + list(args), capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=home.path)
    return Run(proc.returncode, proc.stdout, proc.stderr)


# ---------------------------------------------------------------- in-process plugins

def load_one(home: Home, name: str, main: str, plugin_type: str = "detection",
             capabilities: tuple[str, ...] = (), extra: str = "", scan=None):
    """Write, discover and load one plugin; returns (manager, plugin)."""
    home.plugin(name, main, plugin_type, capabilities, extra)
    manager = home.manager(scan=scan) if scan is not None else home.manager()
    plugin = manager.load_plugin(name)
    return manager, plugin


def port_result(port: int, state: str = "open", banner: bytes | None = None, host: str = "127.0.0.1"):
    from prtip.model import PortResult

    return PortResult(host, port, "tcp", state, "syn-ack" if state == "open" else "conn-refused", banner=banner)


def scan_with(hooks, ports: list[int], out: Path, **config) -> dict:
    """A real connect scan of 127.0.0.1 through prtip.pipeline.execute with these hooks;
    returns the JSON document's ports by number."""
    from prtip.config import ScanConfig
    from prtip.pipeline import execute
    from prtip.timing import timing_for

    cfg = ScanConfig(targets=("127.0.0.1",), ports=",".join(map(str, ports)), tcp_scan="connect",
                     resolve_names=False, timing=timing_for(4), outputs=(("json", str(out)),), **config)
    assert execute(cfg, hooks) == 0
    doc = json.loads(out.read_text())
    return {p["port"]: p for h in doc["hosts"] for p in h["ports"]}
