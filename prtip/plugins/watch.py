"""FolderWatch: has anything changed in a plugin's folder since we last looked?

Hot reload looks for edits before every hook call. Comparing the files' stamps each time costs
two stat() calls per plugin per port result (most of a hook call's cost on a -p- scan). On
Linux the kernel tells us instead: one inotify descriptor for the process, one watch per
plugin folder, and a look is a single non-blocking read() that usually finds nothing. The
kernel queues an event before the write() that caused it returns, so an edit is seen by the
very next look, as with stat().

Where inotify is missing (not Linux, no watch left: fs.inotify.max_user_watches, a folder
removed) a watch answers "maybe changed" every time and the caller compares stamps as before.
A watch never says "unchanged" when it cannot know: nor does it for a folder whose watched
files are symbolic links (an edit of the link's target raises no event in the folder), nor in
a forked child (the descriptor is shared with the parent, which may read the events first).
Changes made on another machine to a network file system raise no event: hot reload from a
remote editor on NFS needs a local edit (a touch) to be seen.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import threading
import weakref

# <sys/inotify.h>: what a write, truncate, rename, delete or attribute change inside a folder
# (or of the folder itself) raises
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x002, 0x004, 0x008
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x040, 0x080, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED = 0x4000, 0x8000
IN_ONLYDIR = 0x01000000
WATCH_MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
              | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)


class FolderWatch:
    """One folder's change flag; ``changed()`` is True at least once after every change."""

    __slots__ = ("_inotify", "_dirty", "wd", "__weakref__")

    def __init__(self, inotify: "_Inotify | None", wd: int | None) -> None:
        self._inotify, self.wd = inotify, wd
        self._dirty = True  # the first look compares stamps: changes before the watch count

    def changed(self) -> bool:
        """True when the folder may have changed since the last call (then the flag clears)."""
        inotify = self._inotify
        if self.wd is None or inotify is None or inotify.pid != os.getpid():
            return True
        inotify.poll()  # an event that ends the watch marks it too
        dirty, self._dirty = self._dirty, False
        return dirty

    def mark(self) -> None:
        self._dirty = True


class _Inotify:
    """The process's inotify descriptor and the watches on it (thread-safe)."""

    def __init__(self, fd: int, libc: ctypes.CDLL) -> None:
        self.fd, self.libc = fd, libc
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.watches: dict[int, weakref.WeakSet[FolderWatch]] = {}

    def add(self, folder: str) -> FolderWatch:
        with self.lock:
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), WATCH_MASK)
            if wd < 0:  # no such folder, no permission, no watch left (ENOSPC): compare stamps
                return FolderWatch(None, None)
            watch = FolderWatch(self, wd)
            self.watches.setdefault(wd, weakref.WeakSet()).add(watch)
            return watch

    def poll(self) -> None:
        """Read the queued events (if any) and flag their folders."""
        if not self.lock.acquire(blocking=False):
            self.mark_all()  # another thread is reading: assume the worst, never miss one
            return
        try:
            while True:
                try:
                    data = os.read(self.fd, 65536)  # EINTR is retried by Python itself
                except BlockingIOError:
                    return
                self._dispatch(data)
        finally:
            self.lock.release()

    def mark_all(self) -> None:
        for watches in list(self.watches.values()):
            for watch in list(watches):
                watch.mark()

    def _dispatch(self, data: bytes) -> None:
        at = 0
        while at + EVENT.size <= len(data):
            wd, mask, _cookie, size = EVENT.unpack_from(data, at)
            at += EVENT.size + size
            if mask & IN_Q_OVERFLOW:  # events were lost: every folder may have changed
                self.mark_all()
                continue
            watches = self.watches.get(wd)
            if watches is None:
                continue
            for watch in watches:
                watch.mark()
                if mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
                    watch.wd = None  # the folder is gone or moved: compare stamps from now on
            if mask & IN_IGNORED:
                del self.watches[wd]


_shared: _Inotify | None = None
_shared_pid: int | None = None  # the process that opened _shared (a forked child opens its own)
_shared_lock = threading.Lock()


def _inotify() -> _Inotify | None:
    global _shared, _shared_pid
    with _shared_lock:
        if _shared_pid != os.getpid():
            _shared_pid, _shared = os.getpid(), _open_inotify()
        return _shared


def _open_inotify() -> _Inotify | None:
    if not hasattr(os, "O_NONBLOCK"):
        return None
    try:
        # the process's own symbols hold libc's (find_library runs ldconfig: ~3 ms per scan)
        libc = ctypes.CDLL(None, use_errno=True)
        init = getattr(libc, "inotify_init1", None)
        if init is None:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            init = libc.inotify_init1
    except (OSError, AttributeError):
        return None
    libc.inotify_add_watch.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)
    fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        return None
    return _Inotify(fd, libc)


def watch_folder(folder: str, files: tuple[str, ...] = ()) -> FolderWatch:
    """A change flag for ``folder`` and the ``files`` in it that matter (paths)."""
    inotify = _inotify()
    if inotify is None or any(os.path.islink(f) for f in files):
        return FolderWatch(None, None)
    return inotify.add(folder)
