"""The ``luavm`` command: ``luavm script.lua [args]`` behaves like ``lua script.lua`` (lua.c 5.4).

Options (before the script name, as with ``lua``)::

    -e stat   execute string 'stat'            -l mod    require library 'mod' into global 'mod'
    -i        interactive mode after 'script'  -l g=mod  require library 'mod' into global 'g'
    -v        show version information         -E        ignore environment variables
    -W        turn warnings on                 --        stop handling options
    -         stop handling options and execute stdin

and luavm's own: ``--sandbox`` (the plugin sandbox's globals only), ``--max-instructions N``,
``--max-memory SIZE`` (64KiB, 100MB...), ``--timeout SECONDS``, ``--stats`` (resource use as
JSON on stderr), ``--dump-ast`` / ``--dump-code`` (the parser's or the compiler's output).

The order of events is lua.c's ``pmain``: options are checked first (a bad one is a usage
error), ``-v``, the ``arg`` table, ``LUA_INIT_5_4`` or ``LUA_INIT`` (``@file`` runs a file;
skipped under ``-E``), then ``-e``/``-l``/``-W`` in command-line order, the script, and the
REPL (``-i``, or no script on a terminal; without a terminal stdin runs as a file).

Exit status: 0 success, 1 Lua error or usage error (as lua.c), 3 resource limit exceeded.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from luavm import __version__
from luavm.errors import InternalError, LimitExceeded, LuaError, LuaSyntaxError
from luavm.meter import Limits, parse_size

VERSION = f"luavm {__version__}  Lua 5.4 in pure Python, after Lua 5.4.4 of Lua.org, PUC-Rio"
LUAVM_OPTIONS = """luavm's own options:
  --sandbox              only the plugin sandbox's globals
  --max-instructions N   stop after N instructions (exit status 3)
  --max-memory SIZE      stop past SIZE bytes of accounted memory (64KiB, 100MB...)
  --timeout SECONDS      stop after SECONDS of wall-clock time
  --stats                print resource usage as JSON on stderr
  --dump-ast, --dump-code   show the parser's or the compiler's output
"""
USAGE = """usage: {prog} [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
""" + LUAVM_OPTIONS
PROMPT, PROMPT2 = b"> ", b">> "
EOFMARK = b"<eof>"
EXIT_LIMIT = 3


class UsageError(Exception):
    """A bad command line; the message is lua.c's (``unrecognized option '-x'``...)."""


@dataclass
class CommandLine:
    """What ``collectargs`` found: ``script`` is the index of the script in argv (0: none)."""

    script: int = 0
    interactive: bool = False
    version: bool = False
    has_e: bool = False
    ignore_env: bool = False
    actions: list[tuple[str, str]] = field(default_factory=list)  # ('e'|'l'|'W', text)
    sandbox: bool = False
    stats: bool = False
    dump: str | None = None
    instructions: int | None = None
    memory: int | None = None
    seconds: float | None = None


def _luavm_option(cl: CommandLine, argv: list[str], i: int) -> int:
    """One of luavm's long options at argv[i]; returns the index of its last word."""
    a = argv[i]
    name, eq, inline = a.partition("=")

    def value() -> str:
        nonlocal i
        if eq:
            return inline
        i += 1
        if i >= len(argv):
            raise UsageError(f"'{name}' needs argument")
        return argv[i]

    if name in ("--sandbox", "--stats", "--dump-ast", "--dump-code") and not eq:
        if name == "--sandbox":
            cl.sandbox = True
        elif name == "--stats":
            cl.stats = True
        else:
            cl.dump = name[7:]
    elif name == "--max-instructions":
        v = value()
        if not v.isdigit():
            raise UsageError(f"--max-instructions expects a whole number, got '{v}'")
        cl.instructions = int(v)
    elif name == "--max-memory":
        try:
            cl.memory = parse_size(value())
        except ValueError as e:
            raise UsageError(str(e)) from None
    elif name == "--timeout":
        v = value()
        try:
            cl.seconds = float(v)
        except ValueError:
            raise UsageError(f"--timeout expects seconds, got '{v}'") from None
    else:
        raise UsageError(f"unrecognized option '{a}'")
    return i


def parse_args(argv: list[str]) -> CommandLine:
    """lua.c's ``collectargs`` (plus luavm's long options): UsageError for a bad option."""
    cl = CommandLine()
    i = 1
    while i < len(argv):
        a = argv[i]
        cl.script = i
        if a[:1] != "-":
            return cl
        opt, extra = a[1:2], a[2:]
        if opt == "-":
            if extra == "":
                cl.script = i + 1
                return cl
            i = _luavm_option(cl, argv, i)
        elif opt == "":
            return cl  # the script "name" is '-'
        elif opt in ("E", "W", "i", "v"):
            if extra:
                raise UsageError(f"unrecognized option '{a}'")
            if opt == "E":
                cl.ignore_env = True
            elif opt == "W":
                cl.actions.append(("W", ""))
            else:
                cl.interactive = cl.interactive or opt == "i"
                cl.version = True  # -i implies -v
        elif opt in ("e", "l"):
            if not extra:
                i += 1
                if i >= len(argv) or argv[i][:1] == "-":
                    raise UsageError(f"'-{opt}' needs argument")
                extra = argv[i]
            cl.has_e = cl.has_e or opt == "e"
            cl.actions.append((opt, extra))
        else:
            raise UsageError(f"unrecognized option '{a}'")
        i += 1
    cl.script = 0
    return cl


def _normalize(cl: CommandLine, argc: int) -> CommandLine:
    if cl.script >= argc:  # '--' was the last word: no script
        cl.script = 0
    return cl


def program_name(argv0: str | None) -> str:
    """lua.c's ``progname`` is argv[0] as typed. Python sees the path the shell found, so a
    command found along PATH gets back its bare name ('luavm'), and ``python -m luavm`` is
    'luavm' too; a path typed by hand stays as typed (so ``arg[-n]`` can run it again)."""
    if not argv0 or argv0.endswith("__main__.py") or argv0 == "-m":
        return "luavm"
    base = os.path.basename(argv0)
    if base != argv0:
        found = shutil.which(base)
        if found is not None and os.path.abspath(found) == os.path.abspath(argv0):
            return base
    return argv0


def _b(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


class Interpreter:
    """One run of the command: the state, its streams, and lua.c's report/docall helpers."""

    def __init__(self, rt: Any, progname: str, stdin: BinaryIO, stdout: BinaryIO, stderr: BinaryIO):
        self.rt = rt
        self.progname: str | None = progname
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr

    # ------------------------------------------------------------ messages

    def message(self, msg: bytes) -> None:
        """l_message: ``progname: msg`` on stderr (no name in the REPL)."""
        if self.progname is not None:
            msg = _b(self.progname) + b": " + msg
        self._flush(self.stdout)
        self.stderr.write(msg + b"\n")
        self._flush(self.stderr)

    @staticmethod
    def _flush(stream: BinaryIO) -> None:
        try:
            stream.flush()
        except (OSError, ValueError):
            pass

    def error_text(self, e: LuaError, traceback: bool = True) -> bytes:
        """msghandler: a string or number as is, an object's __tostring (a string, no
        traceback), else ``(error object is a X value)``; then the traceback."""
        v = e.value
        rt = self.rt
        if type(v) is bytes or type(v) in (int, float):
            msg = v if type(v) is bytes else rt.tostring(v)
        else:
            mt = rt.getmetatable(v)
            h = mt.get(b"__tostring") if mt is not None else None
            if h is not None:  # luaL_callmeta: only a string result is the message
                try:
                    r = rt.pcall_host(h, v)
                except LuaError:
                    r = ()
                if r and type(r[0]) is bytes:
                    return r[0]
            from luavm.lib.args import typename

            msg = f"(error object is a {typename(v)} value)".encode()
        if traceback and e.traceback and not isinstance(e, LuaSyntaxError):
            msg += b"\n" + _b(e.traceback)
        return msg

    # ------------------------------------------------------------ running chunks

    def docall(self, fn: Any, *args: Any) -> tuple | None:
        """Call under lua.c's SIGINT handler; a Lua error is reported and gives None."""
        with _interrupt_handler(self.rt):
            try:
                return self.rt.pcall_host(fn, *args)
            except LuaError as e:
                self.message(self.error_text(e))
                return None

    def dochunk(self, load: Any) -> bool:
        try:
            fn = load()
        except LuaError as e:  # LuaSyntaxError or a file error: no traceback
            self.message(self.error_text(e) if not isinstance(e, LuaSyntaxError) else e.value)
            return False
        return self.docall(fn) is not None

    def dostring(self, text: bytes, name: str) -> bool:
        return self.dochunk(lambda: self.rt.load(text, name, is_file=False))

    def dofile(self, path: bytes | None) -> bool:
        from luavm.lib.fileload import load_file

        return self.dochunk(lambda: load_file(self.rt, path))

    def dolibrary(self, spec: str) -> bool:
        """``-l g=mod`` / ``-l mod``: ``g = require(mod)``."""
        globname, eq, modname = spec.partition("=")
        if not eq:
            modname = globname
        rt = self.rt
        require = rt.index(rt.globals, b"require")
        r = self.docall(require, _b(modname))
        if r is None:
            return False
        rt.setindex(rt.globals, _b(globname), r[0] if r else None)
        return True

    def handle_init(self, environ: dict[bytes, bytes]) -> bool:
        name = "=LUA_INIT_5_4"
        init = environ.get(b"LUA_INIT_5_4")
        if init is None:
            name = "=LUA_INIT"
            init = environ.get(b"LUA_INIT")
        if init is None:
            return True
        if init[:1] == b"@":
            return self.dofile(init[1:])
        return self.dostring(init, name)

    def handle_script(self, argv: list[str], script: int) -> bool:
        from luavm.lib.fileload import load_file

        fname = argv[script]
        path = None if fname == "-" and argv[script - 1] != "--" else _b(fname)
        try:
            fn = load_file(self.rt, path, persistent=path is not None)
        except LuaError as e:
            self.message(e.value if type(e.value) is bytes else self.error_text(e))
            return False
        # the sandbox has no `arg` table: its scripts get the command line's arguments as `...`
        args = self._script_args() if not self.rt.sandbox else tuple(_b(a) for a in argv[script + 1:])
        if args is None:
            return False
        return self.docall(fn, *args) is not None

    def _script_args(self) -> tuple | None:
        """pushargs: arg[1..#arg], read back from the table (a script may have changed it)."""
        rt = self.rt
        arg = rt.globals.get(b"arg")
        from luavm.table import LuaTable

        if type(arg) is not LuaTable:
            self.message(b"'arg' is not a table")
            return None
        n = rt.length(arg)
        return tuple(arg.get(i) for i in range(1, n + 1)) if type(n) is int else ()

    # ------------------------------------------------------------ the REPL

    def repl(self) -> None:
        """doREPL: read a line, try it as ``return <line>;``, else as statements (reading
        more lines while the error ends in '<eof>'), run it, print what it returns."""
        old, self.progname = self.progname, None
        reader = LineReader(self.stdin, self.stdout)
        try:
            while True:
                line = self.pushline(reader, True)
                if line is None:
                    break
                fn = self.loadline(reader, line)
                if fn is None:
                    continue
                results = self.docall(fn)
                if results:
                    self.l_print(results)
            self.stdout.write(b"\n")
            self._flush(self.stdout)
        finally:
            self.progname = old
            reader.close()

    def prompt(self, firstline: bool) -> bytes:
        rt = self.rt
        v = rt.index(rt.globals, b"_PROMPT" if firstline else b"_PROMPT2")
        if v is None:
            return PROMPT if firstline else PROMPT2
        return rt.tostring(v)

    def pushline(self, reader: "LineReader", firstline: bool) -> bytes | None:
        try:
            prompt = self.prompt(firstline)
        except LuaError as e:
            self.message(self.error_text(e))
            prompt = b""
        line = reader.readline(prompt)
        if line is None:
            return None
        if line.endswith(b"\n"):
            line = line[:-1]
        if firstline and line[:1] == b"=":
            return b"return " + line[1:]
        return line

    def loadline(self, reader: "LineReader", line: bytes) -> Any:
        rt = self.rt
        try:
            return rt.load(b"return " + line + b";", "=stdin", is_file=False)
        except LuaSyntaxError:
            pass
        while True:
            try:
                return rt.load(line, "=stdin", is_file=False)
            except LuaSyntaxError as e:
                msg = e.value if type(e.value) is bytes else b""
                more = self.pushline(reader, False) if msg.endswith(EOFMARK) else None
                if more is None:
                    self.message(msg)
                    return None
                line = line + b"\n" + more

    def l_print(self, results: tuple) -> None:
        rt = self.rt
        try:
            rt.pcall_host(lambda: rt.call(rt.index(rt.globals, b"print"), *results))
        except LuaError as e:
            self.message(b"error calling 'print' (" + self.error_text(e, traceback=False) + b")")


class LineReader:
    """lua_readline: on a terminal, Python's ``input`` (GNU readline editing and history when
    available); otherwise what readline does without a terminal, the prompt and the line read
    echoed on stdout, which is what lua5.4 (built with readline) prints."""

    def __init__(self, stdin: BinaryIO, stdout: BinaryIO):
        self.stdin, self.stdout = stdin, stdout
        self.tty = _isatty(stdin) and _isatty(stdout) and stdin is sys.stdin.buffer
        if self.tty:
            try:
                import readline  # noqa: F401  (editing and history for input())
            except ImportError:
                pass

    def readline(self, prompt: bytes) -> bytes | None:
        if self.tty:
            try:
                enc = sys.stdin.encoding or "utf-8"
                return input(prompt.decode(enc, "surrogateescape")).encode(enc, "surrogateescape")
            except EOFError:
                return None
        self.stdout.write(prompt)
        try:
            self.stdout.flush()
        except (OSError, ValueError):
            pass
        line = self.stdin.readline()
        if not line:
            return None
        self.stdout.write(line if line.endswith(b"\n") else line + b"\n")
        return line

    def close(self) -> None:
        pass


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _interrupt_handler:
    """lua.c's SIGINT handling around each call: the first Ctrl-C makes the next Lua
    instruction check raise "interrupted!" (a catchable error, as lstop's luaL_error); the
    handler is reset to the default at once, so a second Ctrl-C while a library function runs
    kills the process as it kills lua5.4. Only possible from the main thread."""

    def __init__(self, rt: Any):
        self.rt = rt
        self.active = threading.current_thread() is threading.main_thread()
        self.old: Any = None

    def __enter__(self) -> None:
        if self.active:
            try:
                self.old = signal.signal(signal.SIGINT, self._action)
            except (ValueError, OSError):
                self.active = False

    def _action(self, signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        ns = self.rt.ns
        check = ns["_chk"]
        meter = self.rt.meter

        def lstop(k: int) -> None:
            ns["_chk"] = check
            meter._set_threshold()
            raise LuaError("interrupted!")  # lua5.4 adds no position here (a hook is level 0)

        ns["_chk"] = lstop
        ns["_L"] = -1

    def __exit__(self, *exc: Any) -> None:
        if self.active:
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            except (ValueError, OSError):
                pass


def run(argv: list[str], stdin: BinaryIO, stdout: BinaryIO, stderr: BinaryIO,
        environ: dict[bytes, bytes] | None = None) -> int:
    """Run the command line ``argv`` with the given binary streams; returns the exit status."""
    from luavm.runtime import LuaRuntime

    progname = program_name(argv[0] if argv else None)
    if environ is None:
        environ = dict(os.environb)
    try:
        cl = _normalize(parse_args(argv), len(argv))
    except UsageError as e:
        stderr.write(_b(f"{progname}: {e}\n" + USAGE.format(prog=progname)))
        return 1
    if cl.version:
        stdout.write(_b(VERSION) + b"\n")
    if cl.dump:
        return _dump(cl, argv, stdin, stdout, stderr)
    limits = Limits(instructions=cl.instructions, memory=cl.memory, seconds=cl.seconds)
    rt = LuaRuntime(sandbox=cl.sandbox, limits=limits, stdout=stdout, stdin=stdin, stderr=stderr)
    interp = Interpreter(rt, progname, stdin, stdout, stderr)
    if not cl.sandbox:
        _setup_standalone(rt, cl, argv, environ)
    status = 0
    try:
        ok = _pmain(interp, cl, argv, environ, stdin)
        status = 0 if ok else 1
    except LimitExceeded as e:
        interp.message(_b(str(e)))
        status = EXIT_LIMIT
    except InternalError as e:  # a luavm bug: one line, never a Python traceback
        interp.message(_b(str(e)))
        status = 1
    except _lua_exit() as e:
        status = e.code
        if getattr(e, "close", False):
            pass  # the state is closed below, as for a normal end
    finally:
        try:
            stdout.flush()
        except (OSError, ValueError):
            pass
        if cl.stats:
            stderr.write((json.dumps(rt.stats.as_dict()) + "\n").encode())
        rt.close()
        _close_files(rt)
    return status


def _setup_standalone(rt: Any, cl: CommandLine, argv: list[str], environ: dict[bytes, bytes]) -> None:
    """The ``arg`` table (createargtable) and, under -E, the default package paths."""
    from luavm.table import LuaTable

    arg = LuaTable()
    script = cl.script
    for i, a in enumerate(argv):
        arg[i - script] = _b(a) if i else _b(program_name(a))
    rt.globals[b"arg"] = arg
    from luavm.lib.collector import gc_params

    gc_params(rt).mode = "generational"  # lua.c: lua_gc(L, LUA_GCGEN, 0, 0) before running anything
    package = rt.globals.get(b"package")
    if cl.ignore_env and type(package) is LuaTable:
        from luavm.lib.packagelib import LUA_CPATH_DEFAULT, LUA_PATH_DEFAULT

        package[b"path"] = LUA_PATH_DEFAULT.encode()
        package[b"cpath"] = LUA_CPATH_DEFAULT.encode()


def _pmain(interp: Interpreter, cl: CommandLine, argv: list[str], environ: dict[bytes, bytes],
           stdin: BinaryIO) -> bool:
    rt = interp.rt
    if not cl.ignore_env and not cl.sandbox and not interp.handle_init(environ):
        return False
    for kind, text in cl.actions:
        if kind == "e":
            if not interp.dostring(_b(text), "=(command line)"):
                return False
        elif kind == "l":
            if not interp.dolibrary(text):
                return False
        else:
            rt._warn_on = True
    if cl.script and not interp.handle_script(argv, cl.script):
        return False
    if cl.interactive:
        interp.repl()
    elif not cl.script and not cl.has_e and not cl.version:
        if _isatty(stdin):
            interp.stdout.write(_b(VERSION) + b"\n")
            interp.repl()
        else:
            return interp.dofile(None)
    return True


def _close_files(rt: Any) -> None:
    """lua_close / C's exit: every file still open is flushed and closed."""
    close = getattr(rt, "close_files", None)
    if close is not None:
        close()


def _lua_exit() -> type[BaseException]:
    from luavm.lib.oslib import LuaExit

    return LuaExit


def _dump(cl: CommandLine, argv: list[str], stdin: BinaryIO, stdout: BinaryIO, stderr: BinaryIO) -> int:
    from luavm.compile import compile_chunk, parse
    from luavm.lib.fileload import FileLoadError, read_source
    from luavm.runtime import chunkid

    script = argv[cl.script] if cl.script else None
    e_actions = [t for k, t in cl.actions if k == "e"]
    try:
        if script is None and e_actions:
            source, name = _b(e_actions[-1]), "=(command line)"
        else:
            source, name = read_source(None if script in (None, "-") else _b(script), stdin)
        chunk = parse(source, chunkid(name), shebang=False)
    except (LuaSyntaxError, FileLoadError) as e:
        stderr.write(b"luavm: " + e.value + b"\n")
        return 1
    if cl.dump == "ast":
        from luavm.compile.nodes import pformat

        stdout.write(pformat(chunk).encode() + b"\n")
    else:
        stdout.write(compile_chunk(chunk).source.encode())
    return 0


def main() -> None:
    code = run(sys.argv, sys.stdin.buffer, sys.stdout.buffer, sys.stderr.buffer)
    sys.stdout.flush()
    sys.exit(code)
