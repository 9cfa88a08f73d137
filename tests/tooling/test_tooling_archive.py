"""Safe extraction of plugin archives: what a hostile archive tries, refused before it lands."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from prtip.tooling import archive
from prtip.tooling.archive import extract_archive
from prtip.tooling.errors import ArchiveError


def make_tar(path: Path, entries: list[tuple]) -> Path:
    """entries: (name, bytes) files, (name, None) folders, (name, "->", target) symlinks,
    (name, "=>", target) hard links, (name, "fifo") FIFOs."""
    with tarfile.open(path, "w:gz") as tar:
        for entry in entries:
            info = tarfile.TarInfo(entry[0])
            data = None
            if len(entry) == 3 and entry[1] == "->":
                info.type, info.linkname = tarfile.SYMTYPE, entry[2]
            elif len(entry) == 3 and entry[1] == "=>":
                info.type, info.linkname = tarfile.LNKTYPE, entry[2]
            elif entry[1] == "fifo":
                info.type = tarfile.FIFOTYPE
            elif entry[1] is None:
                info.type = tarfile.DIRTYPE
            else:
                data = entry[1]
                info.size = len(data)
                info.mode = 0o4755  # setuid: must not survive
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def make_zip(path: Path, entries: list[tuple]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for entry in entries:
            if len(entry) == 3 and entry[1] == "->":
                info = zipfile.ZipInfo(entry[0])
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, entry[2])
            else:
                zf.writestr(entry[0], entry[1])
    return path


def test_tar_extracts_files_and_folders(tmp_path):
    src = make_tar(tmp_path / "p.tgz", [("p", None), ("p/plugin.toml", b"toml"), ("p/lib/x.lua", b"lua"),
                                        ("p/alias.lua", "->", "lib/x.lua")])
    dest = tmp_path / "out"
    dest.mkdir()
    extract_archive(src, dest)
    assert (dest / "p" / "plugin.toml").read_bytes() == b"toml"
    assert (dest / "p" / "alias.lua").read_bytes() == b"lua"
    assert stat.S_IMODE((dest / "p" / "plugin.toml").stat().st_mode) == 0o644


def test_zip_extracts(tmp_path):
    src = make_zip(tmp_path / "p.zip", [("plugin.toml", b"t"), ("sub/main.lua", b"m")])
    dest = tmp_path / "out"
    dest.mkdir()
    extract_archive(src, dest)
    assert (dest / "sub" / "main.lua").read_bytes() == b"m"


HOSTILE_TAR = [
    ([("/etc/evil", b"x")], "absolute path"),
    ([("../evil", b"x")], "'..' in the path"),
    ([("p/../../evil", b"x")], "'..' in the path"),
    ([("link", "->", "/etc/passwd")], "leaves the plugin folder"),
    ([("link", "->", "../../etc")], "leaves the plugin folder"),
    ([("sub/up", "->", ".."), ("sub/e", "->", "up/..")], "leaves the plugin folder"),
    ([("a", b"x"), ("b", "=>", "a")], "hard links"),
    ([("pipe", "fifo")], "not a file, folder or link"),
    ([("d", "->", "."), ("d/x", b"x")], "is a link"),
    ([("x", b"1"), ("x", b"2")], "appears twice"),
]


@pytest.mark.parametrize("entries,why", HOSTILE_TAR)
def test_hostile_tar_is_refused(tmp_path, entries, why):
    src = make_tar(tmp_path / "evil.tar.gz", entries)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveError, match=why):
        extract_archive(src, dest)
    assert not (tmp_path / "evil").exists()


HOSTILE_ZIP = [
    ([("/abs", b"x")], "absolute path"),
    ([("..\\win", b"x")], "'..' in the path"),
    ([("C:/win", b"x")], "absolute path"),
    ([("l", "->", "../../outside")], "leaves the plugin folder"),
]


@pytest.mark.parametrize("entries,why", HOSTILE_ZIP)
def test_hostile_zip_is_refused(tmp_path, entries, why):
    src = make_zip(tmp_path / "evil.zip", entries)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveError, match=why):
        extract_archive(src, dest)


def test_size_limits(tmp_path, monkeypatch):
    big = make_tar(tmp_path / "big.tgz", [("a", b"x" * 5000), ("b", b"y" * 5000)])
    monkeypatch.setattr(archive, "MAX_EXTRACTED_BYTES", 8000)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveError, match="8000"):
        extract_archive(big, dest)
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 10)
    with pytest.raises(ArchiveError, match="larger than 10"):
        extract_archive(big, dest)


def test_zip_bomb_is_stopped_while_writing(tmp_path, monkeypatch):
    src = make_zip(tmp_path / "bomb.zip", [("z", b"\0" * 100_000)])
    monkeypatch.setattr(archive, "MAX_EXTRACTED_BYTES", 50_000)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveError, match="50000"):
        extract_archive(src, dest)


def test_too_many_members(tmp_path, monkeypatch):
    src = make_tar(tmp_path / "many.tgz", [(f"f{i}", b"") for i in range(20)])
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveError, match="more than 10 entries"):
        extract_archive(src, dest)


def test_garbage_is_not_an_archive(tmp_path):
    src = tmp_path / "junk.tgz"
    src.write_bytes(os.urandom(256))
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveError, match="cannot read the archive"):
        extract_archive(src, dest)
