"""Valid Lua nested past CPython's limits (20 loop/try blocks per function, 100 indentation
levels) runs as in lua5.4: the compiler outlines deep statements (compile.resolver.Region).

Each case is a real Lua file run by the `luavm` command and by lua5.4; stdout, stderr (without
the program name) and the exit status must match.
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


def loops(n: int, body: str) -> str:
    """n nested loops of every kind around ``body``, the outermost running twice."""
    kinds = [("for i{k} = 1, {m} do", "end"), ("for _, v{k} in ipairs({{1}}) do", "end"),
             ("local w{k} = 0 while w{k} < 1 do w{k} = w{k} + 1", "end"),
             ("local r{k} = 0 repeat r{k} = r{k} + 1", "until r{k} >= 1"), ("do", "end"),
             ("if n >= 0 then", "else error('no') end")]
    head, tail = [], []
    for k in range(n):
        h, t = kinds[k % len(kinds)]
        head.append(h.format(k=k, m=2 if k == 0 else 1))
        tail.append(t.format(k=k))
    return "\n".join(head) + "\n" + body + "\n" + "\n".join(reversed(tail))


CASES = {
    "21_whiles": "local i = 0\n" + "while true do\n" * 21 + "i = i + 1\n" + "break end\n" * 21 + "print(i)\n",
    "mixed_60": "local n, count = 0, 0\n" + loops(60, "count = count + 1") + "\nprint(count)\n",
    "ifs_190": "local x = 1\n" + "if x then\n" * 190 + "print('in')\n" + "end\n" * 190,
    "dos_190": "do " * 190 + "print(1)" + " end" * 190 + "\n",
    "repeats_150": "local i = 0\n" + "repeat\n" * 150 + "i = i + 1\n" + "until true\n" * 150 + "print(i)\n",
    # break, goto continue, return and upvalues across outlined regions
    "control_flow": """
local function f(limit, ...)
  local n, total, seen = 0, 0, {}
  for a = 1, 3 do
""" + "for b = 1, 2 do\n" * 3 + "for c = 1, 1 do\n" * 21 + """
    n = n + 1
    if n % 7 == 0 then goto continue end
    total = total + a
    seen[#seen + 1] = function() return a + n end
    if n > limit then return total, select('#', ...), seen[1](), 'early' end
    if n % 5 == 0 then break end
    ::continue::
""" + "end\n" * 24 + """
  end
  return total, n
end
print(f(1e9))
print(f(100, 'x', 'y'))
""",
    "tbc_and_env": """
local log = {}
local function mk(name) return setmetatable({}, {__close = function() log[#log + 1] = name end}) end
do
  local _ENV = {print = print, tostring = tostring}
""" + "for i = 1, 1 do\n" * 22 + """
  local c <close> = mk('inner')
  x = 42
  print(x, tostring(y))
""" + "end\n" * 22 + """
end
print(log[1], x)
""",
    "error_lines": """
local function f(kind)
""" + "for i = 1, 1 do\n" * 25 + """
    if kind == 1 then error('boom') end
    if kind == 2 then error('up', 2) end
    local t = nil
    return t.field
""" + "end\n" * 25 + """
end
print(pcall(f, 1))
print(pcall(f, 2))
print(pcall(f, 3))
f(3)
""",
    "deep_function_in_deep_loop": "local r = {}\n" + "for i = 1, 2 do\n" + "for i = 1, 1 do\n" * 21 + """
r[#r + 1] = (function(...) local s = 0
""" + "for j = 1, 1 do\n" * 22 + "s = s + select('#', ...) + i\n" + "end\n" * 22 + """
return s end)(1, 2, 3)
""" + "end\n" * 22 + "print(#r, r[1], r[#r])\n",
}


def _norm(err: bytes) -> bytes:
    return err.replace(b"lua5.4: ", b"").replace(b"luavm: ", b"").replace(b"[C]: in ?\n", b"")


@pytest.mark.skipif(not lua_available(), reason="lua5.4 not installed")
@pytest.mark.parametrize("name", sorted(CASES))
def test_deep_nesting_matches_lua(name: str, tmp_path: Path):
    (tmp_path / f"{name}.lua").write_text(CASES[name])
    ref = subprocess.run(["lua5.4", f"{name}.lua"], executable=LUA, capture_output=True, timeout=60, cwd=tmp_path)
    got = subprocess.run([sys.executable, "-m", "luavm", f"{name}.lua"], capture_output=True, timeout=120,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert b"Traceback" not in got.stderr, got.stderr[-3000:]
    assert got.stdout == ref.stdout
    assert _norm(got.stderr) == _norm(ref.stderr)
    assert got.returncode == ref.returncode
