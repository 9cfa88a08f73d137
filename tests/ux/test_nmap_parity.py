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


def _free_named_port() -> tuple[int, str]:
    """A free TCP port of 127.0.0.1 that the port table names (for the 'name?' checks)."""
    import socket

    from prtip.ports import service_name

    for port in range(20000, 60000):
        name = service_name(port, "tcp")
        if name == "unknown":
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port, name
    pytest.skip("no free port with a name in the port table")


def test_ctrl_c_during_version_detection_shows_table_names_not_guesses(home, tmp_path):
    import signal
    import socket
    import sys
    import time

    from ux_helpers import ROOT_ENV

    port, name = _free_named_port()
    silent = socket.socket()
    silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    silent.bind(("127.0.0.1", port))
    silent.listen(64)  # accepts (in the kernel) and never says a word: -sV waits on every probe
    try:
        proc = subprocess.Popen([sys.executable, "-m", "prtip", SCAN, "-sV", "-p", str(port), "127.0.0.1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ROOT_ENV(home),
                                cwd=home.path)
        time.sleep(3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        silent.close()
    assert proc.returncode == 130, err
    line = next(line for line in out.splitlines() if line.startswith(f"{port}/tcp"))
    assert line.split()[:3] == [f"{port}/tcp", "open", name], line  # no "?": -sV never finished
    assert "Service detection was interrupted" in out


def test_a_scan_plugins_summary_shows_on_the_terminal_and_in_every_document(home, server, tmp_path):
    svc = server()
    base = tmp_path / "all"
    run = prtip(home, SCAN, "-p", f"{svc.port},1", "127.0.0.1", "--plugin", "scan-statistics", "-oA", str(base))
    assert run.status == 0, run.err
    # the bundled example (the document's Scan Statistics) reports with prtip.log in post_scan
    block = run.out.split("Post-scan plugin results:\n", 1)[1].splitlines()
    assert block[:3] == ["| scan-statistics:", "|   Scan complete: 2 results", "|   Port states: closed=1 open=1"]
    assert block[3].startswith("|_  Open services: ")
    assert "Post-scan plugin results:" in (tmp_path / "all.nmap").read_text()
    import json
    import xml.etree.ElementTree as ET

    from ux_helpers import libnmap_report, xmllint_ok

    doc = json.loads((tmp_path / "all.json").read_text())
    assert doc["post_scan"][0]["plugin"] == "scan-statistics"
    assert doc["post_scan"][0]["output"].startswith("Scan complete: 2 results\n")
    xmllint_ok(tmp_path / "all.xml")
    script = ET.parse(tmp_path / "all.xml").getroot().find("postscript/script")
    assert script.get("id") == "scan-statistics" and "Port states: closed=1 open=1" in script.get("output")
    libnmap_report(tmp_path / "all.xml")  # still a document nmap tools read


def test_a_string_returned_by_post_scan_is_its_output(home, server, tmp_path):
    write_plugin(home.plugins, "summary", 'function post_scan(results) prtip.log("info", "not this") '
                 'return "checked " .. #results .. " ports\\n\\27[2Jand cleared nothing" end', "scan")
    svc = server()
    run = prtip(home, SCAN, "-p", str(svc.port), "127.0.0.1", "--plugin", "summary")
    assert run.status == 0, run.err
    assert "| summary:\n|   checked 1 ports\n|_  \\x1b[2Jand cleared nothing\n" in run.out
    assert "not this" not in run.out


def test_a_recognized_banner_beats_the_port_table_without_sv(home, tmp_path):
    import json
    import socket
    import threading

    port, name = _free_named_port()
    assert name != "ssh"
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
                    conn.recv(100)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    write_plugin(home.plugins, "knows-nothing", "function analyze_banner(b) return nil end")
    out = tmp_path / "s.json"
    try:
        run = prtip(home, SCAN, "-p", str(port), "127.0.0.1", "--plugin", "knows-nothing", "-oJ", str(out))
    finally:
        listener.close()
    assert run.status == 0, run.err
    line = next(line for line in run.out.splitlines() if line.startswith(f"{port}/tcp"))
    assert line.split()[:3] == [f"{port}/tcp", "open", "ssh"], line
    service = json.loads(out.read_text())["hosts"][0]["ports"][0]["service"]
    assert (service["name"], service["product"]) == ("ssh", "OpenSSH")
