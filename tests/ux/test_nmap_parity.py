"""Issue 13, items 13-14: what an nmap user notices, checked against nmap itself where it is
installed (same listener, same flags) and read back with ndiff."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ux_helpers import prtip, write_plugin

SCAN = "-sT"


def nmap(*args: str) -> str:
    if shutil.which("nmap") is None:
        pytest.skip("nmap not installed")
    return subprocess.run(["nmap", *args], capture_output=True, text=True, timeout=120).stdout


def test_normal_file_has_nmaps_header_and_footer_and_host_line(home, server, tmp_path):
    svc = server()
    out = tmp_path / "scan.nmap"
    run = prtip(home, SCAN, "--reason", "-p", str(svc.port), "127.0.0.1", "-oN", str(out))
    assert run.status == 0, run.err
    lines = out.read_text().splitlines()
    assert re.fullmatch(rf"# prtip 0\.5\.\d+ scan initiated \w{{3}} \w{{3}} [ \d]\d \d\d:\d\d:\d\d \d{{4}} as: "
                        rf"prtip -sT --reason -p {svc.port} 127\.0\.0\.1 -oN {re.escape(str(out))}", lines[0]), lines[0]
    assert re.fullmatch(r"# prtip done at .+ -- 1 IP address \(1 host up\) scanned in [\d.]+ seconds", lines[-1])
    assert re.fullmatch(r"Host is up, received localhost-response \(0\.\d+s latency\)\.", lines[2]), lines[2]
    # the terminal report keeps the interactive framing
    assert run.out.startswith("Starting prtip ") and run.out.rstrip().splitlines()[-1].startswith("prtip done: ")
    ours = nmap(SCAN, "--reason", "-p", str(svc.port), "127.0.0.1").splitlines()
    theirs = next(line for line in ours if line.startswith("Host is up"))
    assert re.fullmatch(r"Host is up, received localhost-response \(\d\.\d+s latency\)\.", theirs)


def test_grepable_lists_ports_scanned_and_leaves_unknown_names_empty_like_nmap(home, server, tmp_path):
    svc = server()
    out = tmp_path / "scan.gnmap"
    assert prtip(home, SCAN, "-p", f"22,{svc.port}", "127.0.0.1", "-oG", str(out)).status == 0
    lines = out.read_text().splitlines()
    assert lines[1] == f"# Ports scanned: TCP(2;22,{svc.port}) UDP(0;) SCTP(0;) PROTOCOLS(0;)"
    ports = next(line for line in lines if "\tPorts: " in line)
    assert f"{svc.port}/open/tcp/////" in ports
    theirs = nmap(SCAN, "-v", "-p", f"22,{svc.port}", "127.0.0.1", "-oG", "-").splitlines()
    assert f"# Ports scanned: TCP(2;22,{svc.port}) UDP(0;) SCTP(0;) PROTOCOLS(0;)" in theirs
    assert f"{svc.port}/open/tcp/////" in next(line for line in theirs if "\tPorts: " in line)


def test_ndiff_reads_our_xml_and_sees_what_changed(home, server, tmp_path):
    if shutil.which("ndiff") is None:
        pytest.skip("ndiff not installed (make system-deps)")
    a, b = server(), server()
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    ports = f"{a.port},{b.port}"
    assert prtip(home, SCAN, "-p", ports, "127.0.0.1", "-oX", str(first)).status == 0
    same = subprocess.run(["ndiff", str(first), str(first)], capture_output=True, text=True, timeout=60)
    assert same.returncode == 0, same.stderr + same.stdout
    b.close()
    assert prtip(home, SCAN, "-p", ports, "127.0.0.1", "-oX", str(second)).status == 0
    changed = subprocess.run(["ndiff", str(first), str(second)], capture_output=True, text=True, timeout=60)
    assert changed.returncode == 1, changed.stderr
    assert f"-{b.port}/tcp open" in changed.stdout and f"+{b.port}/tcp closed" in changed.stdout, changed.stdout
    assert f"{a.port}/tcp" not in changed.stdout


def test_help_lists_the_subcommands(home):
    run = prtip(home, "--help")
    assert run.status == 0
    assert "prtip plugin new|test|validate|info|install|update|remove|list" in run.out
    assert "prtip db list|show|diff" in run.out


def test_db_commands_refuse_a_missing_database_show_plugin_data_and_diff_like_ndiff(home, server, tmp_path):
    missing = tmp_path / "nonexist.db"
    run = prtip(home, "db", "list", "--db", str(missing))
    assert run.status == 1 and "no results database" in run.err and not missing.exists()
    write_plugin(home.plugins, "tagger", 'function on_target(t, r) prtip.add_result("seen", {ok = true}) end', "scan")
    svc = server()
    db = tmp_path / "scans.db"
    assert prtip(home, SCAN, "-p", str(svc.port), "127.0.0.1", "--plugin", "tagger", "--db", str(db)).status == 0
    show = prtip(home, "db", "show", "1", "--db", str(db))
    assert show.status == 0, show.err
    assert "| tagger:\n|   seen:\n|_    ok: true\n" in show.out, show.out
    svc.close()
    assert prtip(home, SCAN, "-p", str(svc.port), "127.0.0.1", "--db", str(db)).status == 0
    assert prtip(home, "db", "diff", "1", "2", "--db", str(db)).status == 1
    assert prtip(home, "db", "diff", "1", "1", "--db", str(db)).status == 0
