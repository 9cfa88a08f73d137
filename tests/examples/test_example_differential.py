"""Differential: the detection examples give the same answers under luavm and the reference
lua5.4 on every answer of the banner corpus (the examples are plain Lua 5.4)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from example_helpers import CORPUS, EXAMPLES, capture

DRIVER = r"""
local dir, inputs = ...
local target
prtip = { log = function() end, get_target = function() return target end }
local env = setmetatable({}, { __index = _G })
assert(loadfile(dir .. "/main.lua", "t", env))()
local function show(v) return v == nil and "-" or tostring(v) end
for line in io.lines(inputs) do
  local port, hex = line:match("^(%d+) (%x*)$")
  target = { ip = "127.0.0.1", port = tonumber(port), protocol = "tcp" }
  local banner = hex:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end)
  local r = env.analyze_banner(banner)
  if r then
    print(show(r.service), show(r.product), show(r.version), show(r.info), show(r.os_type), show(r.confidence))
  else
    print("nil")
  end
end
"""


@pytest.mark.parametrize("name", ["banner-analyzer", "ssl-checker", "http-version-detector"])
def test_same_answers_as_lua54(tmp_path, name):
    lua = shutil.which("lua5.4")
    if lua is None:
        pytest.skip("lua5.4 not installed")
    inputs = tmp_path / "inputs.txt"
    lines = []
    for path in CORPUS:
        cap = capture(path, "exhaustive")
        lines += [f"{cap.port} {e.received.hex()}" for e in cap.exchanges if e.received]
    inputs.write_text("\n".join(lines) + "\n")
    driver = tmp_path / "driver.lua"
    driver.write_text(DRIVER)
    args = [str(driver), str(EXAMPLES / name), str(inputs)]
    ref = subprocess.run([lua, *args], capture_output=True, text=True, timeout=120)
    ours = subprocess.run([sys.executable, "-m", "luavm", *args], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    assert ref.returncode == 0, ref.stderr
    assert ours.returncode == 0, ours.stderr
    assert len(ref.stdout.splitlines()) == len(lines)
    assert ours.stdout == ref.stdout
