"""Generate prtip's port tables (prtip/data/services.tsv, top_ports.txt) from nmap's nmap-services.

prtip never reads nmap-services at run time (nmap may not be installed where prtip runs); the
tables are committed data files that prtip/ports.py reads with importlib.resources. Each file's
first line records the nmap version the table came from, so a refresh shows in the diff.

Run: ``make tables`` (or ``python tools/build_port_tables.py [NMAP_SERVICES] [--nmap-version V]
[--out DIR]``); the version defaults to what ``nmap --version`` reports.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

DEFAULT_SOURCE = Path("/usr/share/nmap/nmap-services")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "prtip" / "data"
PROTOCOLS = ("tcp", "udp")

Row = tuple[str, int, str, float]  # (name, port, protocol, open frequency)


def parse(path: Path) -> list[Row]:
    """(name, port, protocol, frequency) for every tcp/udp line of nmap-services."""
    rows = []
    for line in path.read_text(encoding="latin-1").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        port, _, proto = fields[1].partition("/")
        if proto in PROTOCOLS:
            rows.append((fields[0], int(port), proto, float(fields[2])))
    return rows


def header(what: str, version: str) -> str:
    return (f"# {what}. Generated from nmap {version}'s nmap-services by tools/build_port_tables.py"
            " (make tables); do not edit.\n")


def services_table(rows: list[Row], version: str) -> str:
    """``protocol<TAB>port<TAB>name`` lines, by protocol then port; nmap's "unknown" left out."""
    out = [header("Service name of each well-known port, as nmap names it", version)]
    for proto in PROTOCOLS:
        names = {p: n for n, p, pr, _ in rows if pr == proto and n != "unknown"}
        out += [f"{proto}\t{port}\t{names[port]}\n" for port in sorted(names)]
    return "".join(out)


def top_ports_table(rows: list[Row], version: str) -> str:
    """One ``protocol<TAB>port,port,...`` line per protocol, most often open first (-F, --top-ports)."""
    out = [header("Ports ordered by how often nmap found them open, most common first", version)]
    for proto in PROTOCOLS:
        ranked = sorted((-f, p) for _, p, pr, f in rows if pr == proto and f > 0)
        out.append(f"{proto}\t{','.join(str(p) for _, p in ranked)}\n")
    return "".join(out)


def installed_nmap_version() -> str:
    try:
        text = subprocess.run(["nmap", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit("nmap --version failed: give the source's version with --nmap-version") from None
    m = re.search(r"Nmap version (\S+)", text)
    if not m:
        raise SystemExit(f"cannot read a version from nmap --version: {text[:80]!r}")
    return m.group(1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--nmap-version", help="the nmap release SOURCE comes from (default: nmap --version)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    version = args.nmap_version or installed_nmap_version()
    rows = parse(args.source)
    (args.out / "services.tsv").write_text(services_table(rows, version), encoding="utf-8")
    (args.out / "top_ports.txt").write_text(top_ports_table(rows, version), encoding="utf-8")


if __name__ == "__main__":
    main()
