"""The ``luavm`` command: ``luavm script.lua [args]`` behaves like ``lua script.lua``.

Options (before the script name, as with ``lua``)::

    -e STAT            execute string STAT
    -v                 show version information
    -                  run standard input
    --sandbox          run with the plugin sandbox's globals only
    --max-instructions N   stop after N instructions (exit status 3)
    --max-memory SIZE      stop past SIZE bytes of accounted memory (64KiB, 100MB...)
    --timeout SECONDS      stop after SECONDS of wall-clock time
    --stats            print {"instructions", "memory", "memory_peak", "seconds"} as JSON on stderr
    --dump-ast         print the parsed AST instead of running
    --dump-code        print the generated Python code instead of running

Exit status: 0 success, 1 Lua error, 2 usage error, 3 resource limit exceeded.
"""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

from luavm import __version__
from luavm.errors import InternalError, LimitExceeded, LuaError, LuaSyntaxError
from luavm.meter import Limits, parse_size

USAGE = """usage: luavm [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -v        show version information
  --sandbox run with the plugin sandbox's globals only
  --max-instructions N, --max-memory SIZE, --timeout SECONDS   resource limits
  --stats   print resource usage as JSON on stderr
  --dump-ast, --dump-code   show the parser's or the compiler's output
  --        stop handling options
  -         stop handling options and execute stdin
"""


class UsageError(Exception):
    pass


def _parse(argv: list[str]) -> tuple[dict, list[tuple[str, str]], str | None, list[str]]:
    opts: dict = {"sandbox": False, "stats": False, "dump": None, "version": False,
                  "instructions": None, "memory": None, "seconds": None}
    actions: list[tuple[str, str]] = []
    i = 1
    script = None
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a == "-":
            script = "-"
            i += 1
            return opts, actions, script, argv[i:]
        if not a.startswith("-"):
            break

        def value() -> str:
            nonlocal i
            if a.find("=") > 0 and a.startswith("--"):
                return a.split("=", 1)[1]
            i += 1
            if i >= len(argv):
                raise UsageError(f"'{a}' needs an argument")
            return argv[i]

        name = a.split("=", 1)[0] if a.startswith("--") else a
        if name == "-e":
            actions.append(("e", value()))
        elif a.startswith("-e") and len(a) > 2:
            actions.append(("e", a[2:]))
        elif name == "-v":
            opts["version"] = True
        elif name == "--sandbox":
            opts["sandbox"] = True
        elif name == "--stats":
            opts["stats"] = True
        elif name in ("--dump-ast", "--dump-code"):
            opts["dump"] = name[7:]
        elif name == "--max-instructions":
            v = value()
            if not v.isdigit():
                raise UsageError(f"--max-instructions expects a whole number, got '{v}'")
            opts["instructions"] = int(v)
        elif name == "--max-memory":
            try:
                opts["memory"] = parse_size(value())
            except ValueError as e:
                raise UsageError(str(e)) from None
        elif name == "--timeout":
            v = value()
            try:
                opts["seconds"] = float(v)
            except ValueError:
                raise UsageError(f"--timeout expects seconds, got '{v}'") from None
        else:
            raise UsageError(f"unrecognized option '{a}'")
        i += 1
    if i < len(argv) and script is None:
        script = argv[i]
        i += 1
    return opts, actions, script, argv[i:]


def _error_text(rt, e: LuaError) -> bytes:
    v = e.value
    if type(v) is bytes:
        return v
    if type(v) in (int, float):
        return rt.tostring(v)
    # lua.c's message handler: an error object's __tostring, run under the script's own limits
    # (a limit stop never gets here: nothing of the script runs after one).
    mt = rt.getmetatable(v) if rt is not None else None
    if mt is not None and mt.get(b"__tostring") is not None:
        try:
            return rt.tostring(v)
        except (LuaError, LimitExceeded):
            pass
    from luavm.lib.args import typename

    return f"(error object is a {typename(v)} value)".encode()


def run(argv: list[str], stdin: BinaryIO, stdout: BinaryIO, stderr: BinaryIO) -> int:
    """Run the command line ``argv`` with the given binary streams; returns the exit status."""
    from luavm.runtime import LuaRuntime
    from luavm.table import LuaTable

    prog = "luavm"
    try:
        opts, actions, script, script_args = _parse(argv)
    except UsageError as e:
        stderr.write(f"{prog}: {e}\n{USAGE}".encode("utf-8", "surrogateescape"))
        return 2
    if opts["version"]:
        stdout.write(f"luavm {__version__} (Lua 5.4 in pure Python)\n".encode())
        if script is None and not actions:
            return 0
    limits = Limits(instructions=opts["instructions"], memory=opts["memory"], seconds=opts["seconds"])
    if opts["dump"]:
        return _dump(opts["dump"], script, actions, stdin, stdout, stderr)
    rt = LuaRuntime(sandbox=opts["sandbox"], limits=limits, stdout=stdout, stdin=stdin, stderr=stderr)
    arg = LuaTable()
    arg[-1] = (argv[0] if argv else prog).encode("utf-8", "surrogateescape")
    if script is not None:
        arg[0] = script.encode("utf-8", "surrogateescape")
    for k, a in enumerate(script_args, 1):
        arg[k] = a.encode("utf-8", "surrogateescape")
    if not opts["sandbox"]:
        rt.globals[b"arg"] = arg
    status = 0
    try:
        for kind, text in actions:
            rt.execute(text.encode("utf-8", "surrogateescape"), "=(command line)")
        if script is not None:
            if script == "-":
                source, name = stdin.read(), "=stdin"
            else:
                try:
                    with open(script, "rb") as fh:
                        source = fh.read()
                except OSError:
                    stderr.write(f"{prog}: cannot open {script}\n".encode("utf-8", "surrogateescape"))
                    return 1
                name = "@" + script
            fn = rt.load(source, name)
            rt.pcall_host(fn, *(a.encode("utf-8", "surrogateescape") for a in script_args))
        elif not actions and not opts["version"]:
            stderr.write(f"{prog}: no script given (interactive mode is not supported)\n{USAGE}".encode())
            status = 2
    except LuaSyntaxError as e:
        stderr.write(f"{prog}: ".encode() + e.value + b"\n")
        status = 1
    except LuaError as e:
        stderr.write(f"{prog}: ".encode() + _error_text(rt, e) + b"\n")
        if e.traceback:
            stderr.write(e.traceback.encode("utf-8", "surrogateescape") + b"\n")
        status = 1
    except LimitExceeded as e:
        stderr.write(f"{prog}: {e}\n".encode())
        status = 3
    except InternalError as e:  # a luavm bug: one line, never a Python traceback
        stderr.write(f"{prog}: {e}\n".encode("utf-8", "surrogateescape"))
        status = 1
    except _lua_exit() as e:
        status = e.code
    finally:
        try:
            stdout.flush()
        except (OSError, ValueError):
            pass
        if opts["stats"]:
            stderr.write((json.dumps(rt.stats.as_dict()) + "\n").encode())
        rt.close()
    return status


def _lua_exit() -> type[BaseException]:
    try:
        from luavm.lib.oslib import LuaExit
    except ModuleNotFoundError:
        class _Never(BaseException):
            code = 0
        return _Never
    return LuaExit


def _dump(kind: str, script: str | None, actions: list, stdin: BinaryIO, stdout: BinaryIO,
          stderr: BinaryIO) -> int:
    from luavm.compiler import compile_chunk
    from luavm.parser import parse
    from luavm.runtime import chunkid

    if script is None and actions:
        source, name = actions[-1][1].encode("utf-8", "surrogateescape"), "=(command line)"
    elif script in (None, "-"):
        source, name = stdin.read(), "=stdin"
    else:
        try:
            with open(script, "rb") as fh:
                source = fh.read()
        except OSError:
            stderr.write(f"luavm: cannot open {script}\n".encode("utf-8", "surrogateescape"))
            return 1
        name = "@" + script
    try:
        chunk = parse(source, chunkid(name))
    except LuaSyntaxError as e:
        stderr.write(b"luavm: " + e.value + b"\n")
        return 1
    if kind == "ast":
        from pprint import pformat

        stdout.write(pformat(chunk, width=100).encode() + b"\n")
    else:
        stdout.write(compile_chunk(chunk).source.encode())
    return 0


def main() -> None:
    code = run(sys.argv, sys.stdin.buffer, sys.stdout.buffer, sys.stderr.buffer)
    sys.stdout.flush()
    sys.exit(code)
