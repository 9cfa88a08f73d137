"""No Lua name can reach or shadow a name of the generated Python code (compile/codegen.py, "Names").

One generated Lua file declares, for every name the generated code uses (the runtime
namespace, every name in the code objects of a compiled sample, the names of the coroutine
generator mode, Python keywords and builtins), a global, a local, an upvalue, a parameter, a
loop variable and a field of that name, and checks the results against lua5.4.
"""

from __future__ import annotations

import keyword
import os
import re
import subprocess
import sys
from pathlib import Path
from types import CodeType

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from luaref import LUA, lua_available  # noqa: E402

LUA_KEYWORDS = {"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto",
                "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until",
                "while"}

# A sample that makes the compiler use each of its generated-name families: temporaries,
# goto dispatch flags, to-be-closed flags, captured loop variables, spare parameters,
# varargs, an assigned _ENV, outlined regions (deep nesting).
SAMPLE = b"""
local t = setmetatable({}, {__close = function() end})
local function f(a, b, ...)
  local x <close> = t
  for i = 1, 2 do local g = function() return i end end
  for k, v in pairs({1}) do local h = function() return k, v end end
  do goto skip; ::skip:: end
  while true do if a then break end a = 1 end
  return select('#', ...), a and b or f(b:c(1, 2, 3, 4, 5, 6, 7, 8, 9))
end
local _ENV = {print = print}
""" + b"for i = 1, 1 do\n" * 14 + b"print(i)\n" + b"end\n" * 14


def _code_names(code: CodeType) -> set[str]:
    names = set(code.co_names) | set(code.co_varnames) | set(code.co_cellvars) | set(code.co_freevars)
    names.add(code.co_name)
    for c in code.co_consts:
        if isinstance(c, CodeType):
            names |= _code_names(c)
    return names


def generated_names() -> list[str]:
    from luavm.compile.codegen import compile_chunk
    from luavm.compile.parser import parse
    from luavm.runtime import LuaRuntime

    rt = LuaRuntime()
    names = set(rt.ns) | set(rt.ns["__builtins__"])
    cc = compile_chunk(parse(SAMPLE, "sample"))
    names |= _code_names(cc.code)  # type: ignore[arg-type]
    # the coroutine helper's generator mode: names starting with _g, and g + digits
    names |= {"_g", "_g0", "_g1", "_gen", "_gen1", "_gy", "g0", "g1", "g2", "g10", "_y", "_yf"}
    # the families with every small index: temporaries, flags, functions, factories, regions
    for i in range(4):
        names |= {f"_t{i}", f"_g{i}", f"_gj{i}", f"_gb{i}", f"_x{i}", f"lua{i}", f"lua_{i}",
                  f"_mk1f{i}", f"_mk1_{i}", f"_mk{i}", f"_o1r{i}", f"_cf_t{i}", f"_i{i}"}
    names |= {re.sub(r"_?[0-9]+$", "", n) for n in names}  # stems: a local `lua` became `lua_1`
    names |= set(keyword.kwlist) | set(keyword.softkwlist) | {"self", "print", "__name__",
                                                              "__builtins__", "__class__"}
    return sorted(n for n in names if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n)
                  and n not in LUA_KEYWORDS and n != "_ENV" and not n.startswith("Q"))


def lua_program(names: list[str]) -> str:
    """The test program; its own helpers are named Q... (no generated name starts with Q)."""
    out = ["local Qipairs, Qselect, Qconcat, Qprint, QENV = ipairs, select, table.concat, print, _ENV",
           "local Qresults = {}",
           "local function Qout(...) Qresults[#Qresults + 1] = Qconcat({...}, ' ') end"]
    for i, n in enumerate(names):
        out.append(f"""
{n} = {i}                                  -- a global
Qout('{n} global', {n}, QENV['{n}'])
do
  local {n} = {i} + 1                       -- a local
  local function Qget() return {n} end      -- an upvalue
  local function Qset(Qv) {n} = Qv end
  Qset({n} + 1)
  local function Qpar({n}, ...)             -- a parameter
    local Qs = {n}
    for {n} = 1, 3 do Qs = Qs + {n} end     -- a numeric loop variable
    for Qk, {n} in Qipairs({{10, 20}}) do Qs = Qs + {n} end  -- a generic loop variable
    return Qs, Qselect('#', ...)
  end
  local Qo, Qm = {{{n} = {i}}}, {{Qv = {i}}}  -- a field and a method
  function Qm:{n}(Qx) return self.Qv + Qx end
  local Qcl = {{}}
  for Qj = 1, 2 do local {n} = Qj * 100; Qcl[Qj] = function() return {n} end end
  Qout('{n}', Qget(), {n}, Qpar(5, 'x', 'y'), Qo.{n}, Qm:{n}(1), Qcl[1](), Qcl[2]())
end
Qout('{n} after', {n})
QENV['{n}'] = nil""")
    out.append("Qprint(#Qresults) Qprint(Qconcat(Qresults, '\\n'))")
    return "\n".join(out) + "\n"


@pytest.mark.skipif(not lua_available(), reason="lua5.4 not installed")
def test_every_generated_name_as_a_lua_name(tmp_path: Path):
    names = generated_names()
    assert {"lua", "_mk", "lua1", "_mk1f0", "ENV", "VA", "LT", "FT", "_n", "_L", "_r", "_v", "_t1", "_g0"} <= set(names)
    script = tmp_path / "names.lua"
    script.write_text(lua_program(names))
    ref = subprocess.run([LUA, str(script)], capture_output=True, timeout=60)
    got = subprocess.run([sys.executable, "-m", "luavm", str(script)], capture_output=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert ref.returncode == 0, ref.stderr
    assert got.stderr == b"" and got.returncode == 0, got.stderr[-3000:]
    assert got.stdout == ref.stdout


def test_issue_example_local_named_like_a_function(tmp_path: Path):
    """`lua_1` was both the Python name of the local `lua` and of the function `f`."""
    script = tmp_path / "lua.lua"
    script.write_text("local a; local lua = 1; local function f() return lua end; print(f())\n"
                      "local _mk1 = 2; local function g() return _mk1 end; print(g())\n")
    got = subprocess.run([sys.executable, "-m", "luavm", str(script)], capture_output=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (got.stdout, got.stderr) == (b"1\n2\n", b"")
