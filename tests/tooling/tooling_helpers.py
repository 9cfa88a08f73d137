"""Helpers for the tooling tests: a private $PRTIP_HOME, the `prtip plugin` group run with click's
CliRunner, plugin folders written from text, and local git repositories (never a network URL)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "plugins"

MANIFEST = """\
[plugin]
name = "{name}"
version = "{version}"
author = "Test Author <test@example.com>"
description = "A plugin written by the tooling tests"
plugin_type = "{plugin_type}"
capabilities = [{capabilities}]
"""

DETECTION_MAIN = """\
function on_load(config)
    return true
end

function analyze_banner(banner)
    if string.match(banner, "^HTTP/") then
        return { service = "http", confidence = 0.8 }
    end
    return nil
end
"""


def write_plugin(parent: Path, name: str, main: str = DETECTION_MAIN, *, version: str = "1.0.0",
                 plugin_type: str = "detection", capabilities: tuple[str, ...] = (), folder: str | None = None,
                 manifest: str | None = None, files: dict[str, str] | None = None) -> Path:
    """A plugin folder (valid unless told otherwise)."""
    path = parent / (folder or name)
    path.mkdir(parents=True, exist_ok=True)
    caps = ", ".join(f'"{c}"' for c in capabilities)
    text = manifest if manifest is not None else MANIFEST.format(name=name, version=version,
                                                                 plugin_type=plugin_type, capabilities=caps)
    (path / "plugin.toml").write_text(textwrap.dedent(text))
    (path / "main.lua").write_text(textwrap.dedent(main))
    for file, content in (files or {}).items():
        (path / file).write_text(textwrap.dedent(content))
    return path


@dataclass
class Result:
    exit_code: int
    output: str  # stdout and stderr together, as the user sees them


def invoke(*args: str) -> Result:
    """`prtip plugin ARGS` through click's CliRunner on the group itself."""
    from prtip.tooling.cli import plugin_group

    r = CliRunner().invoke(plugin_group, list(args), catch_exceptions=False)
    return Result(r.exit_code, r.output)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """$PRTIP_HOME for one test; the working directory is a scratch folder next to it."""
    h = tmp_path / "prtip-home"
    h.mkdir()
    monkeypatch.setenv("PRTIP_HOME", str(h))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return h


def need_git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def make_git_repo(folder: Path) -> Path:
    """Turn a plugin folder into a git repository with one commit (local only)."""
    need_git()
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "plugin")
    return folder


def commit_all(folder: Path, message: str = "change") -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)


def prtip_command(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The `prtip` command in a subprocess with $PRTIP_HOME."""
    command = [sys.executable, "-m", "prtip"]
    env = dict(os.environ, PRTIP_HOME=str(home), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=timeout, env=env, cwd=home)
