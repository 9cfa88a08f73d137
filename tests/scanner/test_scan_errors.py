"""Bad input: one line naming it on stderr, exit status 2 (usage) or 1, and nothing scanned."""

from __future__ import annotations

import os

import pytest

from scanner_helpers import is_root, prtip


def one_line_error(run, status: int, *fragments: str) -> None:
    assert run.status == status, (run.status, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("prtip: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in run.err
    assert run.out == ""


@pytest.mark.parametrize("args, status, fragments", [
    (["-sT", "10.0.0.300"], 2, ["'10.0.0.300'"]),
    (["-sT", "no-such-host.invalid"], 2, ["'no-such-host.invalid'", "cannot resolve"]),
    (["-sT", "-p", "70000", "127.0.0.1"], 2, ["'70000'", "out of range"]),
    (["-sT", "-p", "80-1", "127.0.0.1"], 2, ["'80-1'"]),
    (["-sT", "--exclude-ports", "x", "127.0.0.1"], 2, ["'x'"]),
    (["--bogus", "127.0.0.1"], 2, ["--bogus"]),
    (["-sZ", "127.0.0.1"], 2, ["-sZ"]),
    (["-T9", "127.0.0.1"], 2, ["'-T'", "9"]),
    (["-sT", "-sS", "127.0.0.1"], 2, ["-sT", "-sS"]),
    (["-sT", "--host-timeout", "soon", "127.0.0.1"], 2, ["soon"]),
    (["-sT", "-iL", "/nonexistent/targets.txt"], 2, ["/nonexistent/targets.txt"]),
    (["-sT", "--exclude", "1.2.3.999", "127.0.0.1"], 2, ["1.2.3.999", "--exclude"]),
    (["-sT", "-p", "U:53", "127.0.0.1"], 2, ["-sU"]),
    (["-sT", "-oX", "-", "-oJ", "-", "127.0.0.1"], 2, ["stdout"]),
    (["-sT", "-p", "1"], 2, ["no targets"]),
])
def test_bad_input(args, status, fragments):
    one_line_error(prtip(*args), status, *fragments)


@pytest.mark.parametrize("flag", ["-oN", "-oX", "-oG", "-oJ"])
def test_unwritable_output_file(flag):
    one_line_error(prtip("-sT", "-p", "1", flag, "/nonexistent/dir/out", "127.0.0.1"), 1,
                   "'/nonexistent/dir/out'", "No such file or directory")


@pytest.mark.skipif(not is_root, reason="as root, read permissions do not stop us")
def test_unwritable_db_names_it(tmp_path):
    one_line_error(prtip("-sT", "-p", "1", "--db", "/nonexistent/dir/x.db", "127.0.0.1"), 1,
                   "/nonexistent/dir/x.db")


@pytest.mark.parametrize("flag", ["-sS", "-sF", "-sN", "-sX", "-sA"])
def test_raw_scan_without_root_suggests_connect_scan(monkeypatch, capsys, flag):
    from prtip import cli
    monkeypatch.setattr(os, "geteuid", lambda: 1000)  # what a non-root user's process sees
    with pytest.raises(SystemExit) as exc:
        cli.main([flag, "-p", "1", "127.0.0.1"])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"prtip: error: {flag} needs root privileges to send raw packets; "
                   "run as root or use -sT (connect scan)")


def test_default_scan_without_root_is_connect(monkeypatch, capsys):
    from prtip import cli
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    cli.main(["-n", "-p", "1", "-oJ", "-", "127.0.0.1"])  # returns: exit status 0
    assert '"connect"' in capsys.readouterr().out


def test_help_and_version():
    run = prtip("--help")
    assert run.status == 0 and "-sS" in run.out and "--top-ports" in run.out
    run = prtip("--version")
    from prtip import PLUGIN_API_VERSION, __version__
    assert run.status == 0 and run.out.strip() == f"prtip {__version__} (plugin API {PLUGIN_API_VERSION}, Lua 5.4 by luavm)"


def test_one_error_tree_with_prtip_error_at_its_root():
    from prtip.errors import PrtipError, UsageError
    from prtip.plugins.errors import ManifestError, PluginError, PluginLoadError, SandboxError, UnknownPluginError
    from prtip.tooling.errors import (
        ArchiveError, InstallError, InvalidPlugin, NoTestFiles, PluginNotFound, ScaffoldError, ToolingError,
    )

    for family, members in ((PluginError, (ManifestError, PluginLoadError, SandboxError, UnknownPluginError)),
                            (ToolingError, (ArchiveError, InstallError, InvalidPlugin, NoTestFiles, PluginNotFound,
                                            ScaffoldError))):
        assert issubclass(family, PrtipError) and not issubclass(family, UsageError)
        assert all(issubclass(member, family) for member in members)
    assert (PrtipError.exit_status, PluginError.exit_status, ToolingError.exit_status) == (1, 1, 3)
    assert NoTestFiles.exit_status == 1  # a check that failed, like a failing test


def test_reported_is_the_one_way_out_one_line_and_the_errors_status(capsys):
    import click

    from prtip.errors import OutputError, reported
    from prtip.plugins.errors import UnknownPluginError
    from prtip.tooling.errors import PluginNotFound

    for prog, error, status in (("prtip", OutputError("/x", "Permission denied"), 1),
                                ("prtip", UnknownPluginError("nope"), 1),
                                ("prtip plugin", PluginNotFound("x: no such folder"), 3)):
        with pytest.raises(click.exceptions.Exit) as info:
            with reported(prog):
                raise error
        assert info.value.exit_code == status
        assert capsys.readouterr().err == f"{prog}: error: {error}\n"
    with pytest.raises(ValueError):  # not prtip's: untouched (a bug shows as one)
        with reported("prtip"):
            raise ValueError("a bug")
    assert capsys.readouterr().err == ""
