"""prtip/data's port tables: shipped as package data, their nmap version recorded."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "prtip" / "data"
TABLES = ("services.tsv", "top_ports.txt")


def test_the_tables_are_package_data():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["prtip"]
    for name in TABLES:
        assert any(fnmatch.fnmatch(f"data/{name}", g) for g in globs), (name, globs)


def test_each_table_records_its_nmap_version():
    for name in TABLES:
        first = (DATA / name).read_text(encoding="utf-8").splitlines()[0]
        assert re.match(r"# .+\. Generated from nmap \d+\.\d+\S*'s nmap-services ", first), first
