"""Helpers for the example-plugin tests: the examples loaded in the real plugin host, the corpus
of real service banners (tests/data/banners), and the prtip command with plugin options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from prtip.plugins.context import ScanContext, TargetRef
from prtip.plugins.manager import PluginManager
from prtip.plugins.settings import load_settings
from prtip.plugins.tables import ServiceAnswer, service_answer
from prtip.service import capture_from_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "plugins"
CORPUS = sorted((ROOT / "tests" / "data" / "banners").glob("*.json"))
DETECTION_EXAMPLES = ("banner-analyzer", "ssl-checker", "http-version-detector")


def record(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def capture(path: Path, kind: str = "capture"):
    return capture_from_json(record(path)[kind])


class Examples:
    """The example plugins, loaded from examples/plugins by the scanner's own PluginManager."""

    def __init__(self, home: Path, plugins_dir: Path = EXAMPLES, scan: ScanContext | None = None) -> None:
        settings = load_settings(home, system_config=None, system_plugin_path=None)
        self.manager = PluginManager([plugins_dir], settings=settings, scan=scan)

    def analyze(self, name: str, banner: bytes, port: int = 80, protocol: str = "tcp") -> ServiceAnswer | None:
        """analyze_banner(banner) as a scan calls it for 127.0.0.1:port; a fault fails the test."""
        plugin = self.manager.load_plugin(name)
        before = len(self.manager.faults)
        r = plugin.call("analyze_banner", banner, target=TargetRef("127.0.0.1", port, protocol), accepts_results=True)
        assert r.ok and len(self.manager.faults) == before, self.manager.faults[before:]
        return service_answer(r.first, name)


@pytest.fixture
def examples(tmp_path, monkeypatch) -> Examples:
    monkeypatch.setenv("PRTIP_HOME", str(tmp_path / "home"))
    return Examples(tmp_path / "home")


def prtip_command(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The prtip command with $PRTIP_HOME set."""
    command = [sys.executable, "-m", "prtip"]
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PRTIP_HOME=str(home), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=timeout, env=env, cwd=home)
