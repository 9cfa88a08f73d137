"""Capabilities: checked at every call, deny by default, and each one confined to what the
document and the operator allow (filesystem to the data folder and export path, database
read-only, system only when granted and without a shell)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time

import pytest

from prtip.plugins.context import ScanContext, TargetRef
from plugin_helpers import load_one


def run(plugin, hook="analyze_banner"):
    return plugin.call(hook, b"banner", target=TargetRef("127.0.0.1", 80, "tcp"), accepts_results=True)


def fault_of(home, name, body, capabilities=()):
    """The fault message of an analyze_banner hook running ``body`` (which must fail)."""
    manager, plugin = load_one(home, name, f"""
        function analyze_banner(banner)
            {body}
        end
        """, capabilities=capabilities)
    assert not run(plugin).ok
    return manager.faults[-1].message


@pytest.mark.parametrize("capability, code", [
    ("network", 'prtip.connect("127.0.0.1", 80, 1)'),
    ("network", 'prtip.send(1, "x")'),
    ("network", "prtip.receive(1, 10, 1)"),
    ("network", "prtip.close(1)"),
    ("filesystem", 'io.open("notes.txt", "w")'),
    ("filesystem", 'io.lines("notes.txt")'),
    ("filesystem", "io.close()"),
    ("system", 'prtip.run_command({"id"})'),
    ("database", 'prtip.db_query("select 1")'),
])
def test_missing_capability_is_refused_with_its_name(home, capability, code):
    assert fault_of(home, "no-caps", code) == f"no-caps/main.lua:3: Plugin lacks '{capability}' capability"
    assert not (home.path / "plugin-data" / "no-caps" / "notes.txt").exists()


def test_capability_error_is_catchable_by_pcall_and_names_it(home):
    _, plugin = load_one(home, "careful", """
        function analyze_banner(banner)
            local ok, err = pcall(prtip.connect, "127.0.0.1", 80, 1)
            return {service = tostring(ok) .. " " .. err}
        end
        """)
    assert run(plugin).first[b"service"] == b"false Plugin lacks 'network' capability"


# ---------------------------------------------------------------- filesystem

FS = ("filesystem",)


def test_files_live_in_the_plugin_data_folder(home):
    _, plugin = load_one(home, "notes", """
        function analyze_banner(banner)
            local f = io.open("seen.txt", "a")
            f:write(banner, "\\n"):write(42, "\\n")
            f:close()
            local lines = {}
            for line in io.lines("seen.txt") do lines[#lines + 1] = line end
            local g = io.open("seen.txt")
            local all = g:read("a")
            g:close()
            local ok = pcall(g.read, g)
            return {service = table.concat(lines, ","), info = tostring(#all) .. " " .. io.type(g) .. " " .. tostring(ok)}
        end
        """, capabilities=FS)
    answer = run(plugin).first
    assert answer[b"service"] == b"banner,42" and answer[b"info"] == b"10 closed file false"
    assert (home.path / "plugin-data" / "notes" / "seen.txt").read_text() == "banner\n42\n"


def test_read_formats_and_file_lines(home):
    data = home.path / "plugin-data" / "reader"
    data.mkdir(parents=True)
    (data / "in.txt").write_text("12 3.5 0x10\nsecond\nthird")
    _, plugin = load_one(home, "reader", """
        function analyze_banner(banner)
            local f = io.open("in.txt", "r")
            local a, b, c = f:read("n", "n", "n")
            local rest = f:read("L")
            local parts = {}
            for l in f:lines() do parts[#parts + 1] = l end
            local eof = f:read("l")
            f:close()
            return {service = string.format("%s|%s|%s|%q|%s|%s", a, b, c, rest,
                    table.concat(parts, "+"), tostring(eof))}
        end
        """, capabilities=FS)
    assert run(plugin).first[b"service"] == b'12|3.5|16|"\\\n"|second+third|nil'


@pytest.mark.parametrize("path", [
    "/etc/passwd", "../other/x.txt", "../../config.toml", "/tmp/prtip-plugin-escape.txt", "sub/../../x",
])
def test_paths_outside_the_data_folder_are_refused(home, path):
    manager, plugin = load_one(home, "jailed", f"""
        function analyze_banner(banner)
            local f = io.open("{path}", "w")
            f:write("pwned")
        end
        """, capabilities=FS)
    assert not run(plugin).ok
    assert "permission denied (plugins may open only files in their data folder" in manager.faults[-1].message
    assert not os.path.exists("/tmp/prtip-plugin-escape.txt")


def test_symlinks_out_of_the_data_folder_are_refused(home, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    data = home.path / "plugin-data" / "linker"
    data.mkdir(parents=True)
    os.symlink(outside, data / "link.txt")
    os.symlink(tmp_path, data / "dirlink")
    manager, plugin = load_one(home, "linker", """
        function analyze_banner(banner)
            local ok1, e1 = pcall(io.open, "link.txt")
            local ok2, e2 = pcall(io.open, "dirlink/secret.txt")
            return {service = tostring(ok1) .. tostring(ok2), info = e1}
        end
        """, capabilities=FS)
    answer = run(plugin).first
    assert answer[b"service"] == b"falsefalse" and b"permission denied" in answer[b"info"]


def test_export_path_is_reachable_and_open_failures_are_lua_style(home, tmp_path):
    export = tmp_path / "out" / "report.csv"
    export.parent.mkdir()
    scan = ScanContext(export_path=str(export))
    _, plugin = load_one(home, "exporter", f"""
        function analyze_banner(banner)
            local f = io.open("{export}", "w")
            f:write("IP,Port\\n")
            f:close()
            local g, msg, code = io.open("missing.txt")
            local h, bad = pcall(io.open, "x.txt", "rw")
            return {{service = tostring(g) .. "|" .. msg .. "|" .. code, info = bad}}
        end
        """, capabilities=FS, scan=scan)
    answer = run(plugin).first
    assert export.read_text() == "IP,Port\n"
    assert answer[b"service"] == b"nil|missing.txt: No such file or directory|2"
    assert answer[b"info"].endswith(b"bad argument #2 to 'open' (invalid mode)")


def test_open_files_are_closed_at_unload(home):
    manager, plugin = load_one(home, "holder", """
        function on_load() handle = io.open("held.txt", "w") handle:write("x") return true end
        function analyze_banner(banner) handle:write(banner) end
        """, capabilities=FS)
    run(plugin)
    fh = next(iter(plugin.code.api.files.open_files)).fh
    manager.unload_plugin("holder")
    assert fh.closed
    assert (home.path / "plugin-data" / "holder" / "held.txt").read_text() == "xbanner"


# ---------------------------------------------------------------- database

def make_db(path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE results (address TEXT, port INTEGER, state TEXT, banner BLOB)")
    conn.executemany("INSERT INTO results VALUES (?, ?, ?, ?)",
                     [("127.0.0.1", 22, "open", b"SSH-2.0-x"), ("127.0.0.1", 80, "closed", None)])
    conn.commit()
    conn.close()
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_database_is_read_only_sql_on_the_scan_database(home, tmp_path):
    db = tmp_path / "scans.db"
    digest = make_db(db)
    scan = ScanContext(db_path=str(db))
    _, plugin = load_one(home, "dbreader", f"""
        function analyze_banner(banner)
            local rows = prtip.db_query("SELECT address, port, state, banner FROM results WHERE port > ? ORDER BY port", 0)
            local r1, r2 = rows[1], rows[2]
            local w, werr = prtip.db_query("INSERT INTO results VALUES ('x', 1, 'open', NULL)")
            local a, aerr = prtip.db_query("ATTACH DATABASE '{tmp_path}/new.db' AS x")
            local d, derr = prtip.db_query("DELETE FROM results")
            local p, perr = prtip.db_query("PRAGMA writable_schema = 1")
            return {{service = r1.address .. ":" .. r1.port .. " " .. r1.state .. " " .. r1.banner,
                    info = tostring(r2.banner) .. "|" .. #rows,
                    product = werr, version = aerr, os_type = derr .. "|" .. perr}}
        end
        """, capabilities=("database",), scan=scan)
    a = run(plugin).first
    assert a[b"service"] == b"127.0.0.1:22 open SSH-2.0-x" and a[b"info"] == b"nil|2"
    for key in (b"product", b"version"):
        assert a[key].startswith(b"database error: not authorized")
    assert b"not authorized" in a[b"os_type"]
    assert not (tmp_path / "new.db").exists()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_database_without_db_option_says_so(home):
    _, plugin = load_one(home, "nodb", """
        function analyze_banner(banner)
            local rows, why = prtip.db_query("select 1")
            return {service = why}
        end
        """, capabilities=("database",))
    assert run(plugin).first[b"service"] == b"no results database: the scan was run without --db"


# ---------------------------------------------------------------- system

SYSTEM_CODE = """
    function analyze_banner(banner)
        local status, out, err = prtip.run_command({"echo", "$HOME;", "id"})
        local s2, why = prtip.run_command({"sleep", "5"}, 0.3)
        return {service = tostring(status) .. "|" .. out, info = tostring(s2) .. "|" .. why}
    end
    """


def test_system_needs_the_operators_grant(home):
    manager, plugin = load_one(home, "runner", SYSTEM_CODE, capabilities=("system",))
    assert not run(plugin).ok
    msg = manager.faults[-1].message
    assert "Plugin lacks 'system' capability (not granted" in msg and "[plugins.grants] runner" in msg


def test_system_granted_runs_without_a_shell_within_its_timeout(home):
    home.config('[plugins.grants]\nrunner = ["system"]\n')
    _, plugin = load_one(home, "runner", SYSTEM_CODE, capabilities=("system",))
    start = time.monotonic()
    answer = run(plugin).first
    assert answer[b"service"] == b"0|$HOME; id\n"  # literally: no shell expanded or split anything
    assert answer[b"info"] == b"nil|timeout"
    assert time.monotonic() - start < 3


def test_a_grant_without_the_manifest_capability_is_not_enough(home):
    home.config('[plugins.grants]\nsneaky = ["system"]\n')
    manager, plugin = load_one(home, "sneaky", SYSTEM_CODE)
    assert not run(plugin).ok
    assert manager.faults[-1].message.endswith("Plugin lacks 'system' capability")


def test_capabilities_follow_the_running_version_after_reload(home):
    manager, plugin = load_one(home, "shifty", """
        function analyze_banner(banner) return {service = tostring(pcall(io.open, "a.txt", "w"))} end
        """, capabilities=FS)
    assert run(plugin).first[b"service"] == b"true"
    toml = home.plugins / "shifty" / "plugin.toml"
    toml.write_text(toml.read_text().replace('capabilities = ["filesystem"]', "capabilities = []"))
    assert run(plugin).first[b"service"] == b"false"


# The confined io counts arguments as PUC's liolib does: self is argument 1 of a method, so
# `f:write({})` is "bad argument #1" and `f.read(5)` is "#1 ... FILE* expected" (messages
# checked against lua5.4).
@pytest.mark.parametrize("code, message", [
    ("f:write({})", "bad argument #1 to 'write' (string expected, got table)"),
    ("f:write(g)", "bad argument #1 to 'write' (string expected, got FILE*)"),
    ("f:seek({})", "bad argument #1 to 'seek' (string expected, got table)"),
    ("f:seek('bad')", "bad argument #1 to 'seek' (invalid option 'bad')"),
    ("f:seek('set', 1.5)", "bad argument #2 to 'seek' (number has no integer representation)"),
    ("f:read(1.5)", "bad argument #1 to 'read' (number has no integer representation)"),
    ("f:read('x')", "bad argument #1 to 'read' (invalid format)"),
    ("f.read(5)", "bad argument #1 to 'read' (FILE* expected, got number)"),
    ("io.type()", "bad argument #1 to 'type' (value expected)"),
])
def test_file_method_messages_count_self_as_lua_does(home, code, message):
    body = f'local f, g = io.open("a.txt", "w"), io.open("b.txt", "w") {code}'
    assert fault_of(home, "files", body, FS) == f"files/main.lua:3: {message}"


def test_file_seek_takes_a_numeric_string(home):
    _, plugin = load_one(home, "seeker", """
        function analyze_banner(banner)
            local f = io.open("a.txt", "w")
            f:write("hello")
            return {service = tostring(f:seek("set", "2"))}
        end
        """, capabilities=FS)
    assert run(plugin).first[b"service"] == b"2"
