"""luavm's public API: the names ``luavm`` exports are pinned, and prtip uses nothing else.

As httpx does: a change to the public names has to change this test too, so it is never made
by accident; and since the modules behind the names are private, prtip (the embedder) must
import from ``luavm`` itself, never from ``luavm.<module>``.
"""

from __future__ import annotations

import ast
import types
from pathlib import Path

import luavm

ROOT = Path(__file__).resolve().parents[2]

PUBLIC = [
    "__version__",
    # running
    "LuaRuntime", "Limits", "Stats", "parse_size",
    # errors
    "ConversionError", "InstructionLimitExceeded", "InternalError", "LimitExceeded", "LuaError", "LuaSyntaxError",
    "LuavmError", "MemoryLimitExceeded", "TimeLimitExceeded",
    # values and tables
    "LuaTable", "Userdata", "number2str", "str2number", "typename", "rawget", "rawlen", "rawpairs", "rawset",
    # host functions: wrapping, conversion, argument checks
    "lua_function", "to_lua", "from_lua",
    "arg_error", "type_error", "get_arg", "check_any", "check_int", "check_number", "check_option", "check_str",
    "check_table", "opt_int", "opt_number", "opt_str",
]


def test_all_is_pinned_and_sorted() -> None:
    assert sorted(luavm.__all__) == sorted(PUBLIC)
    assert luavm.__all__ == sorted(luavm.__all__, key=str.casefold)


def test_every_public_name_resolves_and_nothing_else_is_exported() -> None:
    for name in luavm.__all__:
        assert getattr(luavm, name) is not None, name
    public = {name for name, value in vars(luavm).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert public <= set(luavm.__all__), f"exported but not in __all__: {sorted(public - set(luavm.__all__))}"


def _luavm_imports(path: Path) -> list[tuple[int, str]]:
    """(line, what) for every import of luavm in one file, as written."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.split(".")[0] == "luavm"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "luavm":
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names]
    return found


def test_prtip_imports_only_luavm_public_names() -> None:
    bad = []
    files = sorted((ROOT / "prtip").rglob("*.py"))
    assert len(files) > 20  # the walk found the package
    for path in files:
        for line, what in _luavm_imports(path):
            if not what.startswith("from luavm import ") or what.split()[-1] not in luavm.__all__:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not bad, "prtip must use only luavm's public names (luavm.__all__):\n" + "\n".join(bad)


def test_the_import_check_sees_internal_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import luavm.table\nfrom luavm.convert import to_lua\nfrom luavm import LuaTable\n")
    assert _luavm_imports(probe) == [(1, "import luavm.table"), (2, "from luavm.convert import to_lua"),
                                     (3, "from luavm import LuaTable")]


def test_rawpairs_gives_lua_keys() -> None:
    t = luavm.to_lua({"a": 1, 2: "b"})
    luavm.rawset(t, True, 3)
    luavm.rawset(t, 2.0, b"two")
    assert sorted(luavm.rawpairs(t), key=repr) == sorted([(b"a", 1), (2, b"two"), (True, 3)], key=repr)
    assert luavm.rawget(t, True) == 3 and luavm.rawlen(t) == 0


def test_parse_size() -> None:
    assert luavm.parse_size("64KiB") == 65536
    assert luavm.parse_size("100MB") == 100_000_000
    assert luavm.parse_size("4096") == 4096
