"""--db FILE and `prtip db list|show|diff` on real scans."""

from __future__ import annotations

import re
import sqlite3

from scanner_helpers import TcpListener, free_port, prtip


def test_store_list_show_diff(tmp_path):
    db = str(tmp_path / "scans.db")
    stays, goes = TcpListener(), TcpListener()
    comes = free_port()
    ports = f"{stays.port},{goes.port},{comes}"
    try:
        first = prtip("-sT", "-n", "-p", ports, "--db", db, "127.0.0.1")
        assert first.status == 0, first.err
        goes.close()
        newcomer = TcpListener_on(comes)
        try:
            second = prtip("-sT", "-n", "-p", ports, "--db", db, "127.0.0.1")
            assert second.status == 0, second.err
        finally:
            newcomer.close()
    finally:
        stays.close()

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM scans").fetchone() == (2,)
        assert conn.execute("SELECT COUNT(*) FROM results WHERE scan_id = 1").fetchone() == (3,)

    listing = prtip("db", "list", "--db", db)
    assert listing.status == 0, listing.err
    lines = listing.out.splitlines()
    assert lines[0].split() == ["ID", "STARTED", "TYPE", "HOSTS", "UP", "ARGS"]
    assert re.match(r"^1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +connect +1 +1 +prtip -sT", lines[1])
    assert lines[2].startswith("2 ")

    show = prtip("db", "show", "1", "--db", db)
    assert show.status == 0, show.err
    assert re.search(rf"^{goes.port}/tcp +open", show.out, re.M)
    assert re.search(rf"^{comes}/tcp +closed", show.out, re.M)

    diff = prtip("db", "diff", "1", "2", "--db", db)
    assert diff.status == 1, diff.err  # as ndiff: 1 when the scans differ
    got = sorted(diff.out.splitlines())
    assert got == sorted([
        f"~ 127.0.0.1 {goes.port}/tcp open {_name(goes.port)} -> closed {_name(goes.port)}",
        f"~ 127.0.0.1 {comes}/tcp closed {_name(comes)} -> open {_name(comes)}",
    ])
    same = prtip("db", "diff", "1", "1", "--db", db)
    assert same.status == 0 and same.out.strip() == "No differences between scan 1 and scan 1."


def TcpListener_on(port: int):
    import socket
    listener = TcpListener.__new__(TcpListener)
    listener.sock = socket.socket()
    listener.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.sock.bind(("127.0.0.1", port))
    listener.sock.listen(16)
    listener.port, listener.greeting = port, b""
    import threading
    listener.thread = threading.Thread(target=listener._serve, daemon=True)
    listener.thread.start()
    return listener


def _name(port: int) -> str:
    from prtip.ports import service_name
    return service_name(port, "tcp")


def test_db_errors_are_one_line(tmp_path):
    db = str(tmp_path / "empty.db")
    run = prtip("db", "list", "--db", db)  # a misspelt --db is an error, and creates nothing
    assert run.status == 1 and run.err.strip() == (
        f"prtip: error: no results database {db!r} (it is created by a scan with --db {db})")
    assert not (tmp_path / "empty.db").exists()
    from prtip.db import connect
    connect(db).close()  # an empty results database, as a scan would create it
    assert prtip("db", "list", "--db", db).status == 0
    run = prtip("db", "show", "42", "--db", db)
    assert run.status == 1
    assert run.err.strip() == f"prtip: error: no scan with id 42 in {db!r} (see `prtip db list --db {db}`)"
    run = prtip("db", "list")
    assert run.status == 2 and run.err.count("\n") == 1 and "--db" in run.err
