"""Helpers for the new-user tests (issue 13): the plugin tests' $PRTIP_HOME, plugin folders,
127.0.0.1 servers and the prtip command run in a subprocess, reused from tests/plugins, plus
the readers nmap users point at our files (xmllint, python-libnmap, ndiff).

(A uniquely named module rather than conftest.py, so imports cannot pick up another test
directory's conftest.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from plugin_helpers import Home, Run, Server, free_port, home, prtip, server, write_plugin  # noqa: E402,F401

ALL_BYTES = bytes(range(256))
ROOT = Path(__file__).resolve().parents[2]


def ROOT_ENV(home: Home) -> dict[str, str]:  # noqa: N802  (reads like the constant it builds)
    """The environment prtip(home, ...) runs with, for commands run from another folder."""
    import os

    return dict(os.environ, PRTIP_HOME=str(home.path),
                PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def xmllint_ok(path: Path) -> None:
    """Fail unless xmllint (libxml2, `make system-deps`) reads the file as well-formed XML."""
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint not installed (make system-deps installs libxml2-utils)")
    proc = subprocess.run(["xmllint", "--noout", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def libnmap_report(path: Path):
    """The file read by python-libnmap, as nmap-XML tools read it (raises if it refuses)."""
    from libnmap.parser import NmapParser

    return NmapParser.parse_fromfile(str(path))


__all__ = ["ALL_BYTES", "ROOT", "ROOT_ENV", "Home", "Run", "Server", "free_port", "home", "libnmap_report", "prtip", "server",
           "write_plugin", "xmllint_ok"]
