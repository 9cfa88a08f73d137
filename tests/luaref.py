"""Helpers to run the reference lua5.4 (and luavm in-process) and to read/write expectations.

The reference is used by tests only, never by luavm at run time. A conformance case is a Lua
file whose expected stdout is written in ``-- expect: <line>`` comments (in output order) and,
for a case that must fail, one ``-- expect error: <message>`` (first stderr line without the
``lua5.4: `` / ``luavm: `` program prefix). Cases run from the repository root with their
relative path as argument, so error positions read ``conformance/topic/file.lua:3:``.

Run as a script to (re)write a case's expectations from lua5.4 itself; expectations are never
written by hand::

    .venv/bin/python tests/luaref.py conformance/arith/001_int_div.lua [...]

Each output line is put at the end of the main-chunk line that printed it when that mapping
is one line per statement and in source order; otherwise all expectations go in a block at the
end of the file (appending keeps line numbers, hence error positions, unchanged).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
LUA = "/usr/bin/lua5.4"
TIMEOUT = 30.0
CASE_TIMEOUT = 60  # seconds: luavm's own --timeout stops a runaway script...
JOIN_TIMEOUT = CASE_TIMEOUT + 30.0  # ...and the thread join catches a luavm that ignores it
THREAD_STACK = 256 * 2**20  # deep Lua recursion may need a deep Python stack

# `-- expect: text` (text may be empty) and `-- expect error: message`; both end the line.
EXPECT = re.compile(rb"--[ ]expect:(?: (.*))?$")
EXPECT_ERROR = re.compile(rb"--[ ]expect error: (.*)$")
ADDRESS = re.compile(rb"(?:table|function|thread|userdata|builtin): (?:0x)?[0-9a-fA-F]{6,}")


@dataclass(frozen=True)
class Expectation:
    """What a conformance case must print, and the error it must end with (if any)."""

    stdout: list[bytes]
    error: bytes | None


def lua_available() -> bool:
    """True when the reference interpreter is installed and executable."""
    return os.access(LUA, os.X_OK)


def run_lua(path_or_source: Path | str | bytes, *, stdin: bytes = b"",
            timeout: float = TIMEOUT, extra_args: tuple[str, ...] = ()) -> tuple[bytes, bytes, int]:
    """Run lua5.4 from the repo root; a ``Path`` is run as a file (relative to the root when it
    lies under it, so chunk names match the conformance runner), ``str``/``bytes`` as source
    read from stdin (chunk name ``stdin``). Returns (stdout, stderr, exit code)."""
    if isinstance(path_or_source, Path):
        path = path_or_source
        if path.is_absolute() and path.is_relative_to(ROOT):
            path = path.relative_to(ROOT)
        argv = [LUA, *extra_args, str(path)]
        data = stdin
    else:
        src = path_or_source.encode() if isinstance(path_or_source, str) else path_or_source
        argv = [LUA, *extra_args, "-"]
        data = src
    # argv[0] "lua5.4" makes the program prefix of error messages "lua5.4: ", not the full path.
    argv[0] = "lua5.4"
    proc = subprocess.run(argv, executable=LUA, input=data, capture_output=True, cwd=ROOT,
                          timeout=timeout,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C"})
    return proc.stdout, proc.stderr, proc.returncode


def run_luavm(run: Callable[..., int], path: str, *, stdin: bytes = b"") -> tuple[bytes, bytes, int]:
    """Run a file through ``luavm.cli.run`` in-process (a fresh runtime per call), in a worker
    thread: ``--timeout`` stops a runaway script, the join timeout a luavm that ignores it.
    Returns (stdout, stderr, exit status) like ``run_lua``; call it with cwd = ROOT."""
    stdin_io, stdout, stderr = io.BytesIO(stdin), io.BytesIO(), io.BytesIO()
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["code"] = run(["luavm", "--timeout", str(CASE_TIMEOUT), path],
                                 stdin_io, stdout, stderr)
        except BaseException as exc:  # reported below with the case's output so far
            result["exc"] = exc

    old = threading.stack_size()
    threading.stack_size(THREAD_STACK)
    try:
        worker = threading.Thread(target=target, name=f"luavm {path}", daemon=True)
        worker.start()
    finally:
        threading.stack_size(old)
    worker.join(JOIN_TIMEOUT)
    if worker.is_alive():
        raise TimeoutError(f"timed out after {JOIN_TIMEOUT:.0f}s; "
                           f"stdout so far: {stdout.getvalue()[:2000]!r}")
    if "exc" in result:
        raise AssertionError(f"luavm.cli.run raised; stdout: {stdout.getvalue()[:2000]!r}") \
            from result["exc"]  # type: ignore[misc]
    return stdout.getvalue(), stderr.getvalue(), int(result["code"])  # type: ignore[arg-type]


def load_cli_run() -> tuple[Callable[..., int] | None, str]:
    """``luavm.cli.run``, or None and the reason it cannot be imported."""
    try:
        from luavm.cli import run
    except ImportError as exc:
        return None, f"luavm.cli not available ({exc})"
    return run, ""


def strip_prefix(stderr_line: bytes) -> bytes:
    """The error message without the program-name prefix PUC Lua and luavm put before it."""
    for prefix in (b"lua5.4: ", b"lua: ", b"luavm: "):
        if stderr_line.startswith(prefix):
            return stderr_line[len(prefix):]
    return stderr_line


def first_line(data: bytes) -> bytes:
    return data.split(b"\n", 1)[0]


def stdout_lines(data: bytes) -> list[bytes]:
    """Output split into lines; a final line without newline still counts."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def parse_expectations(source: bytes) -> Expectation:
    out: list[bytes] = []
    error: bytes | None = None
    for line in source.split(b"\n"):
        m = EXPECT_ERROR.search(line)
        if m:
            if error is not None:
                raise ValueError("more than one '-- expect error:' comment")
            error = m.group(1)
            continue
        m = EXPECT.search(line)
        if m:
            out.append(m.group(1) or b"")
    return Expectation(out, error)


# ---------------------------------------------------------------- writing expectations

# Wraps print/io.write to report, on stderr, the main-chunk line of every write made directly
# by the main chunk (-1 for writes from functions); used only to place comments. The expected text itself comes from a plain run.
_TRACER = r"""
local getinfo, p, w, stderr, sfmt = debug.getinfo, print, io.write, io.stderr, string.format
local function mainline()  -- level 4: whoever called print/io.write
  local i = getinfo(4, "Sl")
  if i and i.what == "main" then return i.currentline end
  return -1
end
local function note(n) stderr:write(sfmt("\0TRACE %d %d\n", mainline(), n)) end
print = function(...)
  local n = select("#", ...) local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  local s = table.concat(parts, "\t") .. "\n"
  note(#s) return p(...)
end
io.write = function(...)
  local n = 0
  for i = 1, select("#", ...) do local v = select(i, ...)
    if type(v) == "string" or type(v) == "number" then n = n + #tostring(v) end end
  note(n) return w(...)
end
"""


def _strip_expectations(source: bytes) -> bytes:
    lines = source.split(b"\n")
    kept: list[bytes] = []
    for line in lines:
        m = EXPECT_ERROR.search(line) or EXPECT.search(line)
        if m:
            line = line[:m.start()].rstrip()
            if not line:
                continue  # a line that held only a comment (the end-of-file block)
        kept.append(line)
    while kept and kept[-1] == b"":
        kept.pop()
    return b"\n".join(kept) + b"\n"


def _trace_lines(path: Path, nbytes: int) -> list[int] | None:
    """For each output byte's line, the main-chunk line that wrote it; None if unknowable."""
    _, err, _ = run_lua(path, extra_args=("-e", _TRACER))
    marks = [line.split() for line in err.split(b"\n") if line.startswith(b"\0TRACE")]
    owners: list[int] = []
    for _, line_no, n in marks:
        owners.extend([int(line_no)] * int(n))
    if len(owners) != nbytes:
        return None
    return owners


def annotate(path: Path) -> Expectation:
    """Rewrite a case's expectation comments from what lua5.4 does with it."""
    source = _strip_expectations(path.read_bytes())
    path.write_bytes(source)
    out, err, code = run_lua(path)
    lines = stdout_lines(out)
    error = strip_prefix(first_line(err)) if code != 0 else None
    if code not in (0, 1):
        raise RuntimeError(f"{path}: lua5.4 exited with {code}: {err!r}")
    if code == 0 and err:
        raise RuntimeError(f"{path}: lua5.4 wrote to stderr: {err!r}")
    if any(b"-- expect" in line for line in lines) or (error and b"-- expect" in error):
        raise RuntimeError(f"{path}: output contains an expectation marker")
    if any(ADDRESS.search(line) for line in lines) or (error and ADDRESS.search(error)):
        raise RuntimeError(f"{path}: output shows an address, which varies between runs")
    if any(b"\r" in line or b"\0" in line for line in lines):
        raise RuntimeError(f"{path}: output holds CR or NUL; print something readable")

    src_lines = source.rstrip(b"\n").split(b"\n")
    owners = _trace_lines(path, len(out)) if lines else []
    inline: dict[int, bytes] | None = {}
    if owners is None:
        inline = None
    else:
        pos, prev = 0, 0
        for text in lines:
            end = pos + len(text)  # the newline byte ends the line
            owner = owners[end] if end < len(owners) else owners[-1]
            if owner <= prev or owner > len(src_lines) or b"--" in src_lines[owner - 1]:
                inline = None
                break
            inline[owner] = text
            prev, pos = owner, end + 1
    for mode in ("inline", "block") if inline is not None else ("block",):
        text = _render(src_lines, lines, error, inline if mode == "inline" else None)
        path.write_bytes(text)
        exp = parse_expectations(text)
        if exp.stdout != lines or exp.error != error:
            raise RuntimeError(f"{path}: expectations do not round-trip")
        # A comment put at the end of a line inside a long string would change the program:
        # the annotated file must still behave exactly as the bare one.
        out2, err2, code2 = run_lua(path)
        if (out2, code2) == (out, code) and first_line(err2) == first_line(err):
            return exp
    raise RuntimeError(f"{path}: output changes once annotated")


def _render(src_lines: list[bytes], lines: list[bytes], error: bytes | None,
            inline: dict[int, bytes] | None) -> bytes:
    src_lines = list(src_lines)
    tail: list[bytes] = []
    if inline is not None:
        for n, text in inline.items():
            src_lines[n - 1] = src_lines[n - 1] + b" -- expect: " + text
    else:
        tail = [b"-- expect: " + t for t in lines]
    if error is not None:
        tail.append(b"-- expect error: " + error)
    text = b"\n".join(src_lines) + b"\n"
    if tail:
        text += b"\n" + b"\n".join(tail) + b"\n"
    return b"\n".join(line.rstrip() if not EXPECT.search(line) else line
                      for line in text.split(b"\n"))


def main(argv: list[str]) -> int:
    if not lua_available():
        print(f"{LUA} not installed", file=sys.stderr)
        return 2
    status = 0
    for name in argv:
        try:
            exp = annotate((ROOT / name).resolve())
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            status = 1
            continue
        tag = f" error: {exp.error.decode(errors='replace')}" if exp.error else ""
        print(f"{name}: {len(exp.stdout)} lines{tag}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
