"""FolderWatch: hot reload learns of edits from the kernel, and a look that finds nothing
compares no stamps (no stat() per hook call)."""

from __future__ import annotations

import os
import sys

import pytest

from prtip.plugins import host
from prtip.plugins.watch import watch_folder
from plugin_helpers import load_one, port_result

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@linux_only
def test_an_edit_is_seen_at_the_next_look_and_a_quiet_folder_reads_unchanged(tmp_path):
    (tmp_path / "main.lua").write_text("-- v1")
    watch = watch_folder(str(tmp_path), (str(tmp_path / "main.lua"),))
    assert watch.changed()  # the first look: whatever happened before the watch counts
    assert not watch.changed()
    (tmp_path / "main.lua").write_text("-- v2")
    assert watch.changed()
    assert not watch.changed()
    (tmp_path / "new.lua").write_text("x")  # a file added, then renamed over main.lua (editors)
    os.replace(tmp_path / "new.lua", tmp_path / "main.lua")
    assert watch.changed()


@linux_only
def test_a_removed_folder_and_symlinked_files_always_read_changed(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    watch = watch_folder(str(folder))
    watch.changed()
    folder.rmdir()
    assert watch.changed() and watch.changed()
    (tmp_path / "real.lua").write_text("x")
    linked = tmp_path / "q"
    linked.mkdir()
    (linked / "main.lua").symlink_to(tmp_path / "real.lua")
    watch = watch_folder(str(linked), (str(linked / "main.lua"),))
    assert watch.changed() and watch.changed()  # the link's target changes raise no event here


def test_hook_calls_on_an_unchanged_plugin_take_no_stamps_and_an_edit_still_reloads(home, monkeypatch):
    manager, plugin = load_one(home, "quiet", "function on_target(t, r) prtip.add_result('v', 1) end", "scan")
    hooks = manager.hooks()
    hooks.on_result(port_result(1))  # the first look after loading compares once
    stamps = []
    real = host.stamp
    monkeypatch.setattr(host, "stamp", lambda *a: stamps.append(a) or real(*a))
    for port in range(2, 50):
        assert hooks.on_result(port_result(port)).plugins == {"quiet": {"v": 1}}
    if sys.platform.startswith("linux"):
        assert stamps == []
    (home.plugins / "quiet" / "main.lua").write_text("function on_target(t, r) prtip.add_result('v', 2) end")
    assert hooks.on_result(port_result(50)).plugins == {"quiet": {"v": 2}}
    assert plugin.reloads == 1
