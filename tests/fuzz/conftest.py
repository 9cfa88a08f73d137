"""Fuzz tests run in a scratch folder: fuzzed programs may create files with io.open."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True, scope="module")
def scratch_cwd(tmp_path_factory: pytest.TempPathFactory):
    old = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("fuzz"))
    try:
        yield
    finally:
        os.chdir(old)
