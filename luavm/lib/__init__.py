"""The Lua standard library, one module per library, opened from an ordered registry.

``open_libraries`` builds a runtime's global table. The sandbox gets the allow-list only
(``luavm.sandbox.SANDBOX_LIBRARIES``, with base functions without file access); io, os,
package, require, dofile, loadfile and debug exist only in standalone mode (docs/SECURITY.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from luavm.sandbox import SANDBOX_LIBRARIES, freeze
from luavm.table import LuaTable

if TYPE_CHECKING:
    from luavm.runtime import LuaRuntime

# (global name, module, opener), in the order they are opened
REGISTRY: list[tuple[str, str, str]] = [
    ("coroutine", "luavm.lib.corolib", "open_coroutine"),
    ("string", "luavm.lib.stringlib", "open_string"),
    ("table", "luavm.lib.tablelib", "open_table"),
    ("math", "luavm.lib.mathlib", "open_math"),
    ("utf8", "luavm.lib.utf8lib", "open_utf8"),
    ("io", "luavm.lib.iolib", "open_io"),
    ("os", "luavm.lib.oslib", "open_os"),
    ("debug", "luavm.lib.debuglib", "open_debug"),
]


def open_libraries(rt: LuaRuntime, *, sandbox: bool, script_args: list[str] | None = None) -> None:
    from luavm.lib.baselib import open_base

    G = rt.globals
    open_base(rt, G, sandbox)
    rt.register_builtins(G)
    for name, modname, opener in REGISTRY:
        if sandbox and name not in SANDBOX_LIBRARIES:
            continue
        lib = getattr(importlib.import_module(modname), opener)(rt)
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
        from luavm.lib.packagelib import make_require, open_package

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
