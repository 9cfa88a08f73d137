"""The Lua 5.4 ``package`` library and ``require`` (loadlib.c), standalone mode only.

Searchers: ``package.preload``, Lua files along ``package.path``, and the two C searchers of a
PUC build without dynamic-library support: they look along ``package.cpath`` (so "module not
found" lists the same files as lua5.4) and a library found there cannot be loaded, as
``package.loadlib`` cannot load one. Messages ("module 'x' not found:" and the
tried lines, "error loading module ...") are formatted exactly as 5.4 formats them.
"""

from __future__ import annotations

import os
from typing import Any

from luavm.callstack import register_builtin
from luavm.errors import LuaError
from luavm.lib.args import check_str, opt_str, typename
from luavm.table import LuaTable

LUA_PATH_DEFAULT = (
    "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;"
    "/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;"
    "./?.lua;./?/init.lua"
)
LUA_CPATH_DEFAULT = "/usr/local/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so"
CONFIG = b"/\n;\n?\n!\n-\n"
DLMSG = b"dynamic libraries not enabled; check your Lua installation"


def env_path(envname: str, default: str) -> bytes:
    """setpath: ENV_5_4, else ENV, else the default; ';;' in the value stands for the default."""
    path = os.environb.get((envname + "_5_4").encode())
    if path is None:
        path = os.environb.get(envname.encode())
    dft = default.encode()
    if path is None:
        return dft
    mark = path.find(b";;")
    if mark < 0:
        return path
    out = b""
    if mark > 0:
        out += path[:mark] + b";"
    out += dft
    if mark < len(path) - 2:
        out += b";" + path[mark + 2:]
    return out


def _readable(filename: bytes) -> bool:
    """fopen(filename, "r") succeeds (on Linux a directory opens too)."""
    try:
        with open(os.fsdecode(filename), "rb"):
            return True
    except IsADirectoryError:
        return True
    except (OSError, ValueError):
        return False


def searchpath(name: bytes, path: bytes, sep: bytes = b".", dirsep: bytes = b"/") -> tuple[bytes | None, bytes]:
    """(the first readable file for ``name`` along ``path``, or None; the "no file" message)."""
    if sep and sep[:1] in name:
        name = name.replace(sep, dirsep)
    full = path.replace(b"?", name)
    for filename in full.split(b";") if full else []:
        if _readable(filename):
            return filename, b""
    return None, b"no file '" + full.replace(b";", b"'\n\tno file '") + b"'"


def _load_file(rt: Any, filename: bytes) -> Any:
    """luaL_loadfile: a Lua function, or LuaError with Lua's message."""
    from luavm.lib.fileload import load_file

    loader = getattr(rt, "load_file", None)  # an embedder's (or a test's) own file loader
    if loader is not None:
        return loader(os.fsdecode(filename), "@" + filename.decode("latin-1"))
    return load_file(rt, filename)


def open_package(rt: Any) -> LuaTable:
    """Build the ``package`` table for runtime ``rt``."""
    package = LuaTable()
    loaded = LuaTable()
    preload = LuaTable()

    def searcher_preload(*args: Any) -> tuple:
        name = check_str(args, 1, "searcher_preload")
        v = rt.index(preload, name)
        if v is None:
            return (b"no field package.preload['" + name + b"']",)
        return (v, b":preload:")

    def searcher_lua(*args: Any) -> tuple:
        name = check_str(args, 1, "searcher_Lua")
        path = rt.index(package, b"path")
        if type(path) is int or type(path) is float:
            path = rt.tostring(path)
        if type(path) is not bytes:
            raise LuaError("'package.path' must be a string", level=1)
        filename, msg = searchpath(name, path)
        if filename is None:
            return (msg,)
        try:
            fn = _load_file(rt, filename)
        except LuaError as e:
            err = e.value if type(e.value) is bytes else rt.tostring(e.value)
            raise LuaError(b"error loading module '" + name + b"' from file '" + filename + b"':\n\t" + err,
                           level=1) from None
        return (fn, filename)

    def c_path() -> bytes:
        path = rt.index(package, b"cpath")
        if type(path) is int or type(path) is float:
            path = rt.tostring(path)
        if type(path) is not bytes:
            raise LuaError("'package.cpath' must be a string", level=1)
        return path

    def no_dynamic_library(name: bytes, filename: bytes) -> LuaError:
        """checkload for a C library found on cpath: this build cannot load one (lsys_load
        without dlopen)."""
        return LuaError(b"error loading module '" + name + b"' from file '" + filename + b"':\n\t"
                        + DLMSG, level=1)

    def searcher_c(*args: Any) -> tuple:
        name = check_str(args, 1, "searcher_C")
        filename, msg = searchpath(name, c_path())
        if filename is None:
            return (msg,)
        raise no_dynamic_library(name, filename)

    def searcher_croot(*args: Any) -> tuple:
        name = check_str(args, 1, "searcher_Croot")
        dot = name.find(b".")
        if dot < 0:
            return ()  # is root
        filename, msg = searchpath(name[:dot], c_path())
        if filename is None:
            return (msg,)
        raise no_dynamic_library(name, filename)

    def pk_searchpath(*args: Any) -> tuple:
        name = check_str(args, 1, "searchpath")
        path = check_str(args, 2, "searchpath")
        sep = opt_str(args, 3, "searchpath", b".")
        rep = opt_str(args, 4, "searchpath", b"/")
        filename, msg = searchpath(name, path, sep, rep)
        if filename is None:
            return (None, msg)
        return (filename,)

    def pk_loadlib(*args: Any) -> tuple:
        check_str(args, 1, "loadlib")
        check_str(args, 2, "loadlib")
        return (None, DLMSG, b"absent")

    # searchers are levels of their own, so their errors carry no position (the caller is require)
    register_builtin(searcher_preload, "searcher_preload")
    register_builtin(searcher_lua, "searcher_Lua")
    register_builtin(searcher_c, "searcher_C")
    register_builtin(searcher_croot, "searcher_Croot")
    searchers = LuaTable()
    for i, searcher in enumerate((searcher_preload, searcher_lua, searcher_c, searcher_croot), 1):
        searchers[i] = searcher
    package[b"config"] = CONFIG
    package[b"path"] = env_path("LUA_PATH", LUA_PATH_DEFAULT)
    package[b"cpath"] = env_path("LUA_CPATH", LUA_CPATH_DEFAULT)
    package[b"loaded"] = loaded
    package[b"preload"] = preload
    package[b"searchers"] = searchers
    package[b"searchpath"] = pk_searchpath
    package[b"loadlib"] = pk_loadlib
    loaded[b"package"] = package
    return package


def make_require(rt: Any, package: LuaTable) -> Any:
    """The ``require`` builtin bound to ``package`` (its ``loaded`` table, like PUC's registry
    entry, is the one present now, even if a script later replaces ``package.loaded``)."""
    loaded = package.get(b"loaded")

    def findloader(name: bytes) -> tuple:
        searchers = rt.index(package, b"searchers")
        if type(searchers) is not LuaTable:
            raise LuaError("'package.searchers' must be a table", level=1)
        msg = []
        i = 1
        while True:
            searcher = searchers.get(i)
            if searcher is None:
                raise LuaError(b"module '" + name + b"' not found:" + b"".join(msg), level=1)
            r = rt.call(searcher, name)
            f = r[0] if r else None
            if typename(f) == "function":
                return f, (r[1] if len(r) > 1 else None)
            if type(f) is bytes or type(f) is int or type(f) is float:
                msg.append(b"\n\t" + rt.tostring(f))
            i += 1

    def require(*args: Any) -> tuple:
        name = check_str(args, 1, "require")
        v = rt.index(loaded, name)
        if v is not None and v is not False:
            return (v,)
        loader, data = findloader(name)
        r = rt.call(loader, name, data)
        res = r[0] if r else None
        if res is not None:
            rt.setindex(loaded, name, res)
        v = rt.index(loaded, name)
        if v is None:
            rt.setindex(loaded, name, True)
            v = True
        return (v, data)

    return require
