"""The Lua standard library, one module per library, opened from an ordered registry.

``open_libraries`` builds a runtime's global table. The sandbox gets the allow-list only:
base functions without file access, string, table, math, utf8 and coroutine. io, os, package,
require, dofile, loadfile and debug exist only in standalone mode (docs/SECURITY.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from luavm.sandbox import freeze
from luavm.table import LuaTable

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

# (global name, module, opener, standalone only)
REGISTRY: list[tuple[str, str, str, bool]] = [
    ("coroutine", "luavm.lib.corolib", "open_coroutine", False),
    ("string", "luavm.lib.stringlib", "open_string", False),
    ("table", "luavm.lib.tablelib", "open_table", False),
    ("math", "luavm.lib.mathlib", "open_math", False),
    ("utf8", "luavm.lib.utf8lib", "open_utf8", False),
    ("io", "luavm.lib.iolib", "open_io", True),
    ("os", "luavm.lib.oslib", "open_os", True),
    ("debug", "luavm.lib.debuglib", "open_debug", True),
]


def open_libraries(rt: LuaRuntime, *, sandbox: bool, script_args: list[str] | None = None) -> None:
    from luavm.lib.baselib import open_base

    G = rt.globals
    open_base(rt, G, sandbox)
    rt.register_builtins(G)
    for name, modname, opener, standalone_only in REGISTRY:
        if standalone_only and sandbox:
            continue
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as e:  # a library still being written (development only)
            if e.name != modname:
                raise
            continue
        lib = getattr(mod, opener)(rt)
        rt.register_builtins(lib, name + ".")
        if sandbox:
            if b"dump" in lib:
                del lib[b"dump"]
            lib = freeze(lib)
        G[name.encode()] = lib
        if name == "string":
            meta = LuaTable()
            meta[b"__index"] = lib
            rt.ops.string_meta = freeze(meta) if sandbox else meta
    if not sandbox:
        try:
            from luavm.lib.packagelib import make_require, open_package
        except ModuleNotFoundError:
            return
        package = open_package(rt)
        G[b"package"] = package
        G[b"require"] = make_require(rt, package)
        rt.register_builtins(G)
        loaded = package.get(b"loaded")
        if type(loaded) is LuaTable:
            loaded[b"_G"] = G
            for name, *_ in REGISTRY:
                lib = G.get(name.encode())
                if lib is not None:
                    loaded[name.encode()] = lib
