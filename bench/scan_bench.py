"""Scanner benchmark: prtip against nmap on 127.0.0.1, -sT/-sS -p- and small scans, at -T4.

Both scanners run with the same flags in the same run, alternating, --runs times, and both
write their results as nmap XML (-oX, read back here; ``--prtip-output json`` makes prtip write
-oJ instead, whose indented JSON encoder costs about 0.8 s more at -p-); each row prints the
best and the median of the per-run ratios prtip/nmap (wall clock) and both scanners' CPU time
(getrusage of the children: prtip's worker process included). Rows (issue 12's targets):

- ``-sT -p-`` and ``-sS -p-``: prtip <= 1.0x nmap;
- small scans, 20 ports (the listening ones first, then 1, 2, ...) with -sT, -sS and -sU:
  prtip <= 1.2x nmap.

prtip and luavm are byte-compiled first (as an installation is), so no run pays for
compiling Python source. Both scanners must find exactly the listening TCP ports `ss -ltn`
shows for 127.0.0.1 (loopback self-connects must not add any); for -sU, the ports not closed
must be exactly those `ss -lun` shows. -sS runs only as root. Exit status 1 if any port list
is wrong.

Usage: python bench/scan_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["-T4", "-n"]
FULL_TARGET, SMALL_TARGET = 1.0, 1.2
SMALL_PORTS = 20


def listening_ports(proto: str = "tcp") -> set[int]:
    """Ports `ss -ltn` (`ss -lun` for udp) shows listening on an address 127.0.0.1 reaches."""
    flags = "-ltnH" if proto == "tcp" else "-lunH"
    out = subprocess.run(["ss", flags], capture_output=True, text=True, check=True).stdout
    ports = set()
    for line in out.splitlines():
        local = line.split()[3]
        addr, _, port = local.rpartition(":")
        if addr in ("127.0.0.1", "0.0.0.0", "*", "[::]", "[::ffff:127.0.0.1]"):
            ports.add(int(port))
    return ports


def timed(cmd: list[str], **kwargs) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kwargs)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def xml_states(path: str) -> dict[int, str]:
    root = ET.parse(path).getroot()
    return {int(p.get("portid")): p.find("state").get("state") for p in root.iter("port")}


def run_prtip(scan: str, ports: str, output: str = "xml") -> tuple[float, float, dict[int, str]]:
    with tempfile.NamedTemporaryFile(suffix=f".{output}") as f:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        flag = "-oX" if output == "xml" else "-oJ"
        took, cpu = timed([sys.executable, "-m", "prtip", scan, *FLAGS, "-p", ports, flag, f.name,
                           "127.0.0.1"], env=env, cwd=ROOT)
        if output == "xml":
            return took, cpu, xml_states(f.name)
        doc = json.loads(Path(f.name).read_text())
    return took, cpu, {p["port"]: p["state"] for h in doc["hosts"] for p in h["ports"]}


def run_nmap(scan: str, ports: str) -> tuple[float, float, dict[int, str]]:
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        took, cpu = timed(["nmap", scan, *FLAGS, "-p", ports, "-oX", f.name, "127.0.0.1"])
        return took, cpu, xml_states(f.name)


def found(states: dict[int, str], scan: str) -> set[int]:
    """The ports checked against ss: open ones (TCP), not-closed ones (UDP)."""
    if scan == "-sU":
        return {p for p, s in states.items() if s != "closed"}
    return {p for p, s in states.items() if s == "open"}


def small_ports(listening: set[int]) -> tuple[str, set[int]]:
    """20 ports: the listening ones first (up to 10), then the lowest others."""
    chosen = sorted(listening)[:SMALL_PORTS // 2]
    port = 1
    while len(chosen) < SMALL_PORTS:
        if port not in chosen:
            chosen.append(port)
        port += 1
    return ",".join(map(str, sorted(chosen))), set(chosen)


def verdict(name: str, got: set[int], expected: set[int], now: set[int]) -> tuple[bool, str]:
    # services may come and go while we measure: a port that changed counts either way
    good = expected <= got | (expected ^ now) and got <= expected | now
    return good, f"{name} ok" if good else f"{name} WRONG {sorted(got ^ expected)}"


def compile_bytecode() -> None:
    """Byte-compile prtip and luavm, as pip does on install (PYTHONDONTWRITEBYTECODE may be set)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "prtip"), str(ROOT / "luavm")],
                   check=False, stdout=subprocess.DEVNULL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per scanner and row (best and median shown)")
    ap.add_argument("--only", choices=["full", "small"], help="only the -p- rows or only the small scans")
    ap.add_argument("--prtip-output", choices=["xml", "json"], default="xml",
                    help="prtip's output file: -oX like nmap's (default) or -oJ")
    args = ap.parse_args()
    if not shutil.which("nmap"):
        print("nmap is not installed (apt-get install nmap): nothing to compare with", file=sys.stderr)
        return 2
    compile_bytecode()
    root = os.geteuid() == 0
    tcp_open = listening_ports("tcp")
    small, small_set = small_ports(tcp_open)
    rows: list[tuple[str, str, float]] = []
    if args.only != "small":
        rows += [("-sT", "-", FULL_TARGET)] + ([("-sS", "-", FULL_TARGET)] if root else [])
    if args.only != "full":
        rows += [("-sT", small, SMALL_TARGET)] + ([("-sS", small, SMALL_TARGET), ("-sU", small, SMALL_TARGET)]
                                                  if root else [])
    print(f"listening on 127.0.0.1 (ss -ltn): {len(tcp_open)} TCP ports; small scans: -p {small}")
    print("load average at start: {:.2f} {:.2f} {:.2f} (prtip's worker process wants the second core)".format(
        *os.getloadavg()))
    print(f"{'row':14} {'prtip s':>8} {'nmap s':>8} {'best':>6} {'median':>6} {'target':>7} "
          f"{'prtip cpu':>9} {'nmap cpu':>8}  ports")
    ok = True
    for scan, ports, target in rows:
        proto = "udp" if scan == "-sU" else "tcp"
        expected = listening_ports(proto)
        if ports != "-":
            expected &= small_set
        ratios, p_times, n_times, p_cpu, n_cpu = [], [], [], [], []
        p_states: dict[int, str] = {}
        n_states: dict[int, str] = {}
        for _ in range(args.runs):
            t, c, p_states = run_prtip(scan, ports, args.prtip_output)
            p_times.append(t)
            p_cpu.append(c)
            t, c, n_states = run_nmap(scan, ports)
            n_times.append(t)
            n_cpu.append(c)
            ratios.append(p_times[-1] / n_times[-1])
        now = listening_ports(proto)
        if ports != "-":
            now &= small_set
        p_ok, p_text = verdict("prtip", found(p_states, scan), expected, now)
        n_ok, n_text = verdict("nmap", found(n_states, scan), expected, now)
        ok &= p_ok and n_ok
        name = f"{scan} {'-p-' if ports == '-' else f'{SMALL_PORTS} ports'}"
        print(f"{name:14} {statistics.median(p_times):8.3f} {statistics.median(n_times):8.3f} "
              f"{min(ratios):6.2f} {statistics.median(ratios):6.2f} {target:6.1f}x "
              f"{statistics.median(p_cpu):9.3f} {statistics.median(n_cpu):8.3f}  {p_text}, {n_text}")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if not root:
        print("(-sS and -sU skipped: they need root)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
