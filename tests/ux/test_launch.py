"""The console script's start and end (prtip/launch.py): the collector paused only while the
command imports, and an exit that skips the interpreter's teardown but keeps what a normal
exit does: the atexit handlers, flushed output, the status, waiting for running threads."""

from __future__ import annotations

import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from ux_helpers import ROOT, ROOT_ENV, prtip, write_plugin

from prtip.cli import is_scan_command


def python(code: str, home, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=ROOT_ENV(home), cwd=ROOT, timeout=timeout)


def test_a_scan_through_the_launcher_writes_every_output_and_exits_0(home, server, tmp_path):
    srv = server(b"SSH-2.0-OpenSSH_9.2\r\n")
    xml, log = tmp_path / "scan.xml", home.log
    run = prtip(home, "-sT", "-n", "-p", str(srv.port), "-oX", str(xml), "--plugin", "no-such-plugin,", "127.0.0.1")
    assert run.status == 2 and "no-such-plugin" in run.err  # a usage error: status 2, one line
    write_plugin(home.plugins, "broken", "return {")  # fails to load: logged, the scan goes on
    run = prtip(home, "-sT", "-n", "-p", str(srv.port), "-oX", str(xml), "--plugin", "broken", "127.0.0.1")
    assert run.status == 0, run.err
    assert f"{srv.port}/tcp open" in run.out and run.out.rstrip().endswith("seconds")
    ports = ET.parse(xml).getroot().iter("port")  # complete: the document parses
    assert [(p.get("portid"), p.find("state").get("state")) for p in ports] == [(str(srv.port), "open")]
    assert "broken" in log.read_text()  # the log file got its record out before the fast exit


def test_the_collector_runs_for_the_command_but_not_while_it_imports(home):
    code = ("import gc, sys; import prtip.launch as launch; paused = not gc.isenabled(); "
            "import prtip.cli as cli; cli.main = lambda: print(paused, gc.isenabled(), 'prtip.pipeline' in sys.modules); "
            "sys.argv = ['prtip', *sys.argv[1:]]; launch.main()")
    assert python(code, home, "-sT", "127.0.0.1").stdout.split() == ["True", "True", "True"]
    assert python(code, home, "--help").stdout.split() == ["True", "True", "False"]


def test_exit_now_runs_atexit_flushes_and_keeps_the_status(home):
    code = ("import atexit, sys; from prtip.launch import exit_now; "
            "atexit.register(lambda: print('atexit ran')); sys.stdout.write('buffered '); exit_now(4)")
    proc = python(code, home)
    assert (proc.returncode, proc.stdout) == (4, "buffered atexit ran\n")


def test_exit_now_waits_for_running_threads(home):
    code = ("import threading, time; from prtip.launch import exit_now; "
            "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done'))).start(); exit_now(3)")
    start = time.monotonic()
    proc = python(code, home)
    assert (proc.returncode, proc.stdout) == (3, "thread done\n")
    assert time.monotonic() - start >= 0.5


def test_sys_exit_messages_and_codes_become_the_status(home):
    code = "import sys; sys.argv = ['prtip', '--version']; import prtip.launch as l, prtip.cli as c; c.main = lambda: sys.exit({}); l.main()"
    assert python(code.format("None"), home).returncode == 0
    assert python(code.format("7"), home).returncode == 7
    proc = python(code.format("'prtip: error: something'"), home)
    assert (proc.returncode, proc.stderr) == (1, "prtip: error: something\n")


def test_which_commands_scan():
    assert is_scan_command(["-sT", "127.0.0.1"]) and is_scan_command(["127.0.0.1"])
    for args in ([], ["plugin", "list"], ["db", "list"], ["--help"], ["-sT", "-h"], ["-V"], ["--list-plugins"]):
        assert not is_scan_command(args), args
