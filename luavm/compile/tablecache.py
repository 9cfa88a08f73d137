"""Where the Lua grammar's LALR tables are kept between processes.

Building the tables takes about 150 ms at every start of luavm (and of every prtip scan that
loads a plugin); lark can save them and load them back (its ``cache`` option), which takes a
tenth of that. They go to the user's own cache folder ($LUAVM_CACHE_DIR, else
$XDG_CACHE_HOME/luavm, else ~/.cache/luavm), never to a shared temporary folder: lark's cache
is a pickle, and loading one that somebody else could write would run their code. So the file
is used only when it and its folder belong to this user and nobody else may write to them
(a root prtip started by sudo with the caller's HOME then builds its tables itself).
``LUAVM_CACHE_DIR=off`` turns the cache off. The file's name carries the grammar's digest and
lark's and Python's versions, and lark checks its own key inside, so an upgrade never loads
stale tables; a file that cannot be read or written just means building the tables again.
"""

from __future__ import annotations

import hashlib
import os
import sys

import lark

from luavm.diskcache import cache_folder, trusted


def tables_file(grammar: str) -> str | bool:
    """What to give lark as ``cache``: a file path we trust, or False (build the tables)."""
    if not hasattr(os, "geteuid"):
        return False  # no owners to check (Windows): build them, as before
    folder = cache_folder()
    if folder is None:
        return False
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    digest = hashlib.sha256(grammar.encode()).hexdigest()[:16]
    path = folder / f"lua54-grammar-{digest}-lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}.pickle"
    if not (trusted(folder) and trusted(path, missing_ok=True)):
        return False
    return str(path)
