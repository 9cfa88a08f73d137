"""Safe extraction of plugin archives (.tar.gz, .tgz, .tar, .zip) into an empty folder.

An archive is data from somewhere else, so every member is checked before a byte is written,
and nothing is trusted that the checks do not cover:

- names: no absolute paths (``/x``, ``C:\\x``, ``\\\\host``), no ``..`` component, no NUL;
- links: a symbolic link must point inside the extracted tree (resolved from its own folder,
  absolute targets refused); hard links are refused (their target is an archive member, but
  "inside" for a hard link means nothing once copied); devices and FIFOs are refused;
- sizes: at most MAX_MEMBERS entries, MAX_ARCHIVE_BYTES of archive and MAX_EXTRACTED_BYTES of
  content, counted while writing (a lying header cannot make us write more);
- modes: files are written 0644 and folders 0755 (no setuid, no executables needed).

Either the whole archive passes, or ArchiveError names the member and nothing is left behind
beyond the caller's staging folder.
"""

from __future__ import annotations

import os
import posixpath
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import IO, Iterator

from prtip.tooling.errors import ArchiveError

MAX_ARCHIVE_BYTES = 16 * 2**20
MAX_EXTRACTED_BYTES = 64 * 2**20
MAX_MEMBERS = 4096
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
_CHUNK = 64 * 1024


def is_archive(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in ARCHIVE_SUFFIXES)


def safe_name(name: str) -> str:
    """The member's relative POSIX path, or ArchiveError when it could land outside."""
    if not name or "\0" in name:
        raise ArchiveError(f"archive member {name!r}: empty name or NUL byte")
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        raise ArchiveError(f"archive member {name!r}: absolute path")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise ArchiveError(f"archive member {name!r}: '..' in the path")
    return "/".join(parts)


def check_link(member: str, target: str) -> None:
    """A symbolic link at ``member`` pointing to ``target`` must stay inside the tree."""
    if not target or "\0" in target or target.startswith("/") or target.replace("\\", "/").startswith("/"):
        raise ArchiveError(f"archive member {member!r}: link to {target!r} leaves the plugin folder")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(member), target.replace("\\", "/")))
    if resolved == ".." or resolved.startswith("../") or resolved.startswith("/"):
        raise ArchiveError(f"archive member {member!r}: link to {target!r} leaves the plugin folder")


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_EXTRACTED_BYTES

    def copy(self, src: IO[bytes], dest: Path, member: str) -> None:
        with open(dest, "xb") as out:
            while True:
                chunk = src.read(_CHUNK)
                if not chunk:
                    break
                self.left -= len(chunk)
                if self.left < 0:
                    raise ArchiveError(f"archive member {member!r}: more than {MAX_EXTRACTED_BYTES} bytes "
                                       "of content in the archive")
                out.write(chunk)
        os.chmod(dest, 0o644)


def _make_dir(dest: Path, rel: str) -> None:
    """Create a folder member; a link standing where it goes is refused, not followed."""
    path = dest.joinpath(*rel.split("/"))
    if path.is_symlink():
        raise ArchiveError(f"archive member {rel!r}: a folder in its path is a link")
    path.mkdir(parents=True, exist_ok=True, mode=0o755)


def _make_parent(dest: Path, rel: str) -> Path:
    target = dest.joinpath(*rel.split("/"))
    parent = target.parent
    # an earlier member may have made a path component a symlink: never write through it
    p = dest
    for part in rel.split("/")[:-1]:
        p = p / part
        if p.is_symlink():
            raise ArchiveError(f"archive member {rel!r}: a folder in its path is a link")
    parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    if target.exists() or target.is_symlink():
        raise ArchiveError(f"archive member {rel!r}: appears twice")
    return target


def extract_archive(archive: Path, dest: Path) -> None:
    """Extract ``archive`` into the existing folder ``dest`` (which should be empty)."""
    try:
        size = archive.stat().st_size
    except OSError as exc:
        raise ArchiveError(f"{archive}: {exc.strerror or exc}") from None
    if size > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"{archive}: {size} bytes, larger than {MAX_ARCHIVE_BYTES} (not a plugin)")
    name = archive.name.lower()
    try:
        if name.endswith(".zip") or zipfile.is_zipfile(archive):
            _extract_zip(archive, dest)
        else:
            _extract_tar(archive, dest)
        check_tree(dest)
    except ArchiveError:
        raise
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ArchiveError(f"{archive}: cannot read the archive: {exc}") from None


def check_tree(root: Path) -> None:
    """Every symbolic link under ``root`` resolves inside it (links can chain: "sub/up -> .."
    is harmless alone, "sub/e -> up/.." then leaves the tree; only the real path can tell)."""
    base = os.path.realpath(root)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                real = os.path.realpath(path)
                if real != base and not real.startswith(base + os.sep):
                    rel = os.path.relpath(path, root)
                    raise ArchiveError(f"{rel}: link to {os.readlink(path)!r} leaves the plugin folder")


def _members_checked(count: int, archive: Path) -> None:
    if count > MAX_MEMBERS:
        raise ArchiveError(f"{archive}: more than {MAX_MEMBERS} entries (not a plugin)")


def _extract_tar(archive: Path, dest: Path) -> None:
    budget = _Budget()
    with tarfile.open(archive, "r:*") as tar:
        members = []
        for i, m in enumerate(_iter_tar(tar), 1):
            _members_checked(i, archive)
            rel = safe_name(m.name)
            if m.issym():
                check_link(rel, m.linkname)
            elif m.islnk():
                raise ArchiveError(f"archive member {m.name!r}: hard links are not allowed")
            elif not (m.isfile() or m.isdir()):
                raise ArchiveError(f"archive member {m.name!r}: not a file, folder or link")
            members.append((rel, m))
        declared = sum(m.size for _, m in members if m.isfile())
        if declared > MAX_EXTRACTED_BYTES:
            raise ArchiveError(f"{archive}: {declared} bytes of content, more than {MAX_EXTRACTED_BYTES}")
        for rel, m in members:
            if not rel:
                continue
            if m.isdir():
                _make_dir(dest, rel)
                continue
            target = _make_parent(dest, rel)
            if m.issym():
                os.symlink(m.linkname, target)
                continue
            src = tar.extractfile(m)
            if src is None:
                raise ArchiveError(f"archive member {rel!r}: no content")
            with src:
                budget.copy(src, target, rel)


def _iter_tar(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while True:
        m = tar.next()
        if m is None:
            return
        yield m


def _extract_zip(archive: Path, dest: Path) -> None:
    budget = _Budget()
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        _members_checked(len(infos), archive)
        declared = sum(i.file_size for i in infos)
        if declared > MAX_EXTRACTED_BYTES:
            raise ArchiveError(f"{archive}: {declared} bytes of content, more than {MAX_EXTRACTED_BYTES}")
        planned = []
        for info in infos:
            rel = safe_name(info.filename)
            mode = info.external_attr >> 16
            kind = stat.S_IFMT(mode) if info.create_system == 3 and mode else 0
            link = None
            if kind == stat.S_IFLNK:
                if info.file_size > 4096:
                    raise ArchiveError(f"archive member {rel!r}: link target too long")
                link = zf.read(info).decode("utf-8", "replace")
                check_link(rel, link)
            elif kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise ArchiveError(f"archive member {info.filename!r}: not a file, folder or link")
            planned.append((rel, info, link))
        for rel, info, link in planned:
            if not rel:
                continue
            if info.is_dir():
                _make_dir(dest, rel)
                continue
            target = _make_parent(dest, rel)
            if link is not None:
                os.symlink(link, target)
                continue
            with zf.open(info) as src:
                budget.copy(src, target, rel)
