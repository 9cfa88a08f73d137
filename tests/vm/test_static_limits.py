"""PUC's static limits: a program past them gets PUC's message, one just under them runs.

Each case is a real Lua file run by the `luavm` command and by lua5.4; stdout, the first
stderr line (without the program name) and the exit status must match.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from luaref import LUA, lua_available  # noqa: E402


def names(n: int, prefix: str = "a") -> str:
    return ", ".join(f"{prefix}{i}" for i in range(n))


CASES = {
    # 200 locals per function (MAXVARS), counted where lparser.c declares them
    "locals_200": f"local {names(200)}\nprint(a0, a199)\n",
    "locals_201_list": f"local {names(201)}\nprint(a0)\n",
    "locals_201_statements": "".join(f"local a{i} = {i}\n" for i in range(201)) + "print(a200)\n",
    "locals_attrib": f"local {names(200)}\nlocal x <const> = 1\n",
    "locals_freed_by_blocks": "".join(f"do local {names(150, f'b{k}_')} end\n" for k in range(3)) + "print('ok')\n",
    "locals_params": f"local function f({names(201)}) return a0 end\nprint(f(1))\n",
    "locals_params_vararg": f"local function f({names(200)}, ...) return a0 end\nprint(f(1))\n",
    "locals_numfor": "".join(f"for i{k} = 1, 1 do\n" for k in range(51)) + "end\n" * 51,
    "locals_genfor": "".join(f"for k{k}, v{k} in pairs({{}}) do\n" for k in range(34)) + "end\n" * 34,
    "locals_genfor_names": f"local {names(195)}\nfor x, y, z in pairs({{}}) do end\n",
    "locals_local_function": f"local {names(200)}\nlocal function g() end\n",
    "locals_nested_function": f"local f = function(x)\n  local {names(200)}\nend\n",
    "locals_method": f"local t = {{}}\nfunction t:m({names(200)}) return self end\n",
    "locals_at_eof": f"local {names(201)}",
    # nesting: PUC's C levels (LUAI_MAXCCALLS)
    "nest_parens_190": "print(" + "(" * 190 + "1" + ")" * 190 + ")\n",
    "nest_parens_250": "print(" + "(" * 250 + "1" + ")" * 250 + ")\n",
    "nest_blocks_190": "do " * 190 + "print(1)" + " end" * 190 + "\n",
    "nest_blocks_250": "do " * 250 + "print(1)" + " end" * 250 + "\n",
    "nest_functions_250": "local f = " + "function() return " * 250 + "1" + " end" * 250 + "\n",
    "nest_calls_190": "local function f(...) return ... end\nprint(" + "f(" * 190 + "1" + ")" * 190 + ")\n",
    "nest_tables_190": "local t = " + "{" * 190 + "}" * 190 + "\nprint(type(t))\n",
    "long_elseif": "local x = 2999\nif x == 0 then print(0)\n"
                   + "".join(f"elseif x == {i} then print({i})\n" for i in range(1, 3000)) + "end\n",
    "long_elseif_calls": "local function f(v) return v end\nlocal x = 499\nif f(x) == 0 then print(0)\n"
                         + "".join(f"elseif f(x) == {i} and f(x) then print({i})\n" for i in range(1, 500)) + "end\n",
    "elseif_side_effects": """
local log = {}
local function f(v, r) log[#log + 1] = v return r end
local o = {m = function(self, r) log[#log + 1] = 'm' return r end}
for i = 1, 5 do
  if f('a', i == 1) then log[#log + 1] = 'A'
  elseif f('b', i == 2) and o:m(true) then log[#log + 1] = 'B'
  elseif i == 3 then log[#log + 1] = 'C'
  elseif o:m(i == 4) or f('d', false) then log[#log + 1] = 'D'
  else log[#log + 1] = 'E' end
end
print(table.concat(log, ' '))
""",
    "long_and_or": "local x = 1\nprint(" + " and ".join(["x"] * 3000) + ", " + " or ".join(["x"] * 3000) + ")\n",
    "long_sum": "local x = 1\nprint(" + " + ".join(["x"] * 5000) + ")\n",
    "huge_table": "local t = {" + ", ".join(str(i) for i in range(60000)) + "}\nprint(#t)\n",
    "assign_targets_150": "local a\na" + ",a" * 149 + " = 1" + ",1" * 149 + "\nprint(a)\n",
    "assign_targets_500": "local a\na" + ",a" * 499 + " = 1\n",
    "concat_chain_150": "local a = 'x'\nprint(#(a" + " .. a" * 150 + "))\n",
    "concat_chain_500": "local a = 'x'\nprint(#(a" + " .. a" * 500 + "))\n",
    "registers_call_252": "local function f(...) return select('#', ...) end\nlocal n = f(1" + ",1" * 251 + ")\nprint(n)\n",
    "registers_call_260": "local function f(...) return select('#', ...) end\nlocal n = f(1" + ",1" * 259 + ")\nprint(n)\n",
    "registers_return_256": "return 1" + ",1" * 255 + "\n",
    "upvalues_256": "local " + ", ".join(f"u{i}" for i in range(150)) + "\nlocal " + ", ".join(f"w{i}" for i in range(110))
    + "\nlocal function f() return " + " + ".join(f"(u{i} or 0)" for i in range(150)) + " + "
    + " + ".join(f"(w{i} or 0)" for i in range(110)) + " end\nprint(f())\n",
    "huge_keyed_table": "local t = {" + ", ".join(f"k{i} = {i}" for i in range(20000)) + "}\nprint(t.k19999)\n",
}


def _norm(err: bytes) -> bytes:
    line = err.split(b"\n", 1)[0]
    for prefix in (b"lua5.4: ", b"luavm: "):
        if line.startswith(prefix):
            return line[len(prefix):]
    return line


@pytest.mark.skipif(not lua_available(), reason="lua5.4 not installed")
@pytest.mark.parametrize("name", sorted(CASES))
def test_static_limit_matches_lua(name: str, tmp_path: Path):
    (tmp_path / f"{name}.lua").write_text(CASES[name])
    ref = subprocess.run(["lua5.4", f"{name}.lua"], executable=LUA, capture_output=True, timeout=60,
                         cwd=tmp_path)
    got = subprocess.run([sys.executable, "-m", "luavm", f"{name}.lua"], capture_output=True, timeout=120,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert b"Traceback" not in got.stderr, got.stderr[-3000:]
    assert (got.stdout, _norm(got.stderr), got.returncode) == (ref.stdout, _norm(ref.stderr), ref.returncode)
