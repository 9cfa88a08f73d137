"""`prtip plugin ...` through the real console entry point: dispatch and exit statuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def prtip(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRTIP_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "prtip", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_new_test_validate_install_list(tmp_path: Path):
    home = tmp_path / "home"
    assert prtip("plugin", "new", "demo-plugin", "--type", "detection", cwd=tmp_path, home=home).returncode == 0
    assert prtip("plugin", "test", "demo-plugin", cwd=tmp_path, home=home).returncode == 0
    assert prtip("plugin", "validate", "demo-plugin", cwd=tmp_path, home=home).returncode == 0
    manifest = tmp_path / "demo-plugin" / "plugin.toml"
    good = manifest.read_text()
    manifest.write_text(good.replace('version = "0.1.0"', 'version = "one"'))
    bad = prtip("plugin", "validate", "demo-plugin", cwd=tmp_path, home=home)
    assert bad.returncode != 0
    assert "plugin.toml" in bad.stderr + bad.stdout and "version" in bad.stderr + bad.stdout
    manifest.write_text(good)
    assert prtip("plugin", "install", "./demo-plugin", cwd=tmp_path, home=home).returncode == 0
    listed = prtip("--list-plugins", cwd=tmp_path, home=home)
    assert "demo-plugin v0.1.0 (detection)" in listed.stdout
