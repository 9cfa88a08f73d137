"""LuaRuntime: the state one Lua program runs in — globals, libraries, meter, namespace.

The pipeline in one place::

    chunk = parse(source, name)            # compile/parser.py  -> nodes.Chunk
    compiled = compile_chunk(chunk)        # compile/codegen.py -> Python code object (cached)
    exec(compiled.code, self.ns)           # defines the closure factories in our namespace
    main = self.ns[compiled.main_factory](env)
    results = self.call(main, *args)       # run under the meter

Every runtime has its own namespace dict (``ns``) for generated code: the instruction
counter ``_n`` and the operator slow paths live there, so runtimes never share state.
Lua code runs on one long-lived thread with a large stack (``_LuaWorker``) so deep recursion
ends in a Lua "stack overflow" error instead of crashing the process; coroutines run on that
same thread as generators (coroutine.py), so they need no thread of their own.
"""

from __future__ import annotations

import dataclasses
import queue
import sys
import threading
from collections import deque
from types import FunctionType
from typing import TYPE_CHECKING, Any, BinaryIO, Callable

from luavm import callstack
from luavm.addresses import Addresses
from luavm.chunks import COMPILE_CACHE, Compiled, LoadedChunks, Origin, chunk_size
from luavm.coroutine import Coroutine
from luavm.errors import LuaError, LuaSyntaxError, LuavmError, translate
from luavm.genops import GenOps
from luavm.compile.tokenmeter import TICK_TOKENS, TOKEN_METER
from luavm.meter import (
    CLOSURE_OVERHEAD, COMPILE_BYTES_PER_TOKEN, COMPILE_INSTRUCTIONS, COMPILE_INSTRUCTIONS_PER_TOKEN, COMPILE_SECONDS_PER_TOKEN,
    PARSE_BYTES_PER_TOKEN, PARSE_INSTRUCTIONS_PER_TOKEN, PARSE_SECONDS_PER_TOKEN, SLOT_SIZE, SNAPSHOT_SHIFT, SNAPSHOT_SLOT_SIZE, STRING_OVERHEAD, TABLE_OVERHEAD,
    UPVALUE_SIZE, VARARG_SLOT_SIZE, Limits, Meter, Stats,
)
from luavm.luanumbers import DEFAULT_NAN, INF, wrap
from luavm.ops import FT, N1, SPARE_PARAMS, Operators, fit_args, tramp
from luavm.table import LuaTable, forget_order, norm_key

if TYPE_CHECKING:
    from luavm.compile import CompiledChunk

# Python frames allowed: roughly one per Lua call level, plus headroom for builtins.
RECURSION_LIMIT = 230_000
LUA_THREAD_STACK = 1024 * 2**20
_local = threading.local()
_stack_lock = threading.Lock()


def start_thread(target: Any, stack_size: int, name: str) -> threading.Thread:
    """Start a daemon thread with its own stack size (threading.stack_size is process-wide)."""
    with _stack_lock:
        old = threading.stack_size()
        threading.stack_size(stack_size)
        try:
            th = threading.Thread(target=target, name=name, daemon=True)
            th.start()
        finally:
            threading.stack_size(old)
    return th


def chunkid(name: str, source: bytes = b"") -> str:
    """Lua's display form of a chunk name (``luaO_chunkid``): '=x' -> x, '@f' -> f, else [string "..."]."""
    if name.startswith("=") :
        return name[1:60]
    if name.startswith("@"):
        rest = name[1:]
        return rest if len(rest) <= 59 else "..." + rest[-56:]
    first = name.split("\n", 1)[0]
    maxlen = 60 - len('[string "...";]')
    if "\n" in name or len(first) > maxlen:
        return f'[string "{first[:maxlen]}..."]'
    return f'[string "{first}"]'


class _LuaWorker:
    """One long-lived thread with a large stack that runs Lua on behalf of host threads.

    Starting a thread per call costs ~0.3 ms; handing work to a waiting thread costs a few
    microseconds, which matters when a plugin hook runs for each of 65,535 ports.
    """

    _instance: "_LuaWorker | None" = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = start_thread(self._serve, LUA_THREAD_STACK, "luavm")

    @classmethod
    def get(cls) -> "_LuaWorker":
        with cls._lock:
            w = cls._instance
            if w is None or not w.thread.is_alive():
                w = cls._instance = cls()
            return w

    def _serve(self) -> None:
        _local.lua_thread = True
        while True:
            fn, box, done = self.jobs.get()
            try:
                box["value"] = fn()
            except BaseException as e:  # handed to the calling thread as is
                box["error"] = e
            finally:
                done.release()
                del fn, box, done

    def run(self, fn: Callable[[], Any]) -> Any:
        box: dict[str, Any] = {}
        done = threading.Semaphore(0)
        self.jobs.put((fn, box, done))
        done.acquire()
        if "error" in box:
            raise box.pop("error")
        return box["value"]


def _translated(fn: Callable[[], Any]) -> Any:
    """The compile-time boundary (errors.translate): a Python error of the parser or the
    compiler reaches the script as a luavm error, never as itself."""
    try:
        return fn()
    except LuavmError:
        raise
    except Exception as e:
        raise translate(e) from e


class LuaRuntime:
    """One Lua state. ``sandbox=True`` installs only the allow-listed libraries (see sandbox.py)."""

    def __init__(self, *, sandbox: bool = False, limits: Limits | None = None,
                 stdout: BinaryIO | None = None, stdin: BinaryIO | None = None,
                 stderr: BinaryIO | None = None, script_args: list[str] | None = None):
        if sys.getrecursionlimit() < RECURSION_LIMIT:
            sys.setrecursionlimit(RECURSION_LIMIT)
        self.sandbox = sandbox
        self.limits = limits or Limits()
        self.stdout = stdout if stdout is not None else sys.stdout.buffer
        self.stdin = stdin if stdin is not None else sys.stdin.buffer
        self.stderr = stderr if stderr is not None else sys.stderr.buffer
        self.ns: dict[str, Any] = {}
        # compiled code this runtime holds (chunks.py); string.dump's record goes with it
        self.chunks = LoadedChunks(self.ns, on_drop=lambda filename: self.chunk_origins.pop(filename, None))
        self._compile_held = 0  # transient bytes charged by the compile in progress
        self.meter = Meter(self.ns, self.limits, collector=self._measure_live)
        self.addresses = Addresses()
        self.chunk_origins: dict[str, Origin] = {}  # compiled file name -> its source (string.dump)
        self.ops = Operators(self)
        self.genops = GenOps(self)
        self.globals = LuaTable()
        self.current_coroutine: Coroutine | None = None  # None: the main thread runs
        self.main_coroutine: Coroutine | None = None  # what coroutine.running() gives there
        self.resume_depth = 0
        self.lua_next: Any = None  # the `next` builtin, recognised by generic-for fast paths
        self.ipairs_iter: Any = None
        self._install_namespace()
        from luavm.lib import open_libraries

        open_libraries(self, sandbox=sandbox, script_args=script_args)
        self.meter.collect()  # the libraries' own tables count from the start

    # ---------------------------------------------------------------- namespace for generated code

    def _install_namespace(self) -> None:
        ops, ns, meter = self.ops, self.ns, self.meter
        ns.update({
            "__builtins__": {"type": type, "len": len, "range": range, "bool": bool, "float": float,
                             "int": int, "bytes": bytes, "tuple": tuple, "list": list,
                             "BaseException": BaseException, "next": next},
            "LT": LuaTable, "FT": FT, "N1": N1, "_NS": ns, "_NAN": DEFAULT_NAN, "_INF": INF, "_wrap": wrap,
            "_chk": meter.check, "_vach": self._charge_varargs, "_alloc": meter.alloc,
            "_idx": ops.index, "_setidx": ops.setindex, "_arith": ops.arith, "_unm": ops.unm,
            "_bnot": ops.bnot, "_len": ops.length, "_eq": ops.eq, "_lt": ops.lt, "_le": ops.le,
            "_concat": ops.concat, "_concat_n": ops.concat_n, "_cof": ops.callable_of, "_callx": ops.callx,
            "_tramp": tramp, "_forprep": ops.forprep, "_genfor": ops.genfor,
            "_tnew": self._tnew, "_tarr": self._tarr, "_tmix": self._tmix, "_tconst": self._tconst, "_closure": self._closure,
            "_tbc_check": self._tbc_check, "_tbc_error": self._tbc_error, "_tbc_ok": self._tbc_ok,
        })
        self.genops.install(ns)

    def _charge_varargs(self, n: int) -> None:
        """A vararg function received n > SPARE_PARAMS values: 1 instruction per 8 for the
        copying, and VARARG_SLOT_SIZE bytes each while its frame holds them (heap.varargs_bytes)."""
        self.meter.charge(n >> 3)
        self.meter.alloc(VARARG_SLOT_SIZE * n)

    # table constructors, closures: memory is charged where the allocation happens

    def _tnew(self) -> LuaTable:
        self.meter.alloc(TABLE_OVERHEAD)
        return LuaTable()

    def _tarr(self, values: tuple) -> LuaTable:
        n = len(values)
        self.meter.alloc(TABLE_OVERHEAD + SLOT_SIZE * n)
        if n > 64:
            self.meter.charge(n >> 4)
        t = LuaTable()
        for i, v in enumerate(values, 1):
            if v is not None:
                t[i] = v
        # PUC sizes the array part to the constructor: `#{1, nil, 3}` is 3, not 1.
        t.border = n if n and values[-1] is not None else 0
        return t

    def _tconst(self, keys: tuple, vals: tuple) -> LuaTable:
        """``{a = x, b = y}`` with distinct constant string keys: built in one step."""
        self.meter.alloc(TABLE_OVERHEAD + SLOT_SIZE * len(keys))
        t = LuaTable(zip(keys, vals))
        for v in vals:
            if v is None:  # nil fields are absent (`in` would call __eq__ on tables)
                for k, x in zip(keys, vals):
                    if x is None:
                        del t[k]
                break
        return t

    def _tmix(self, values: tuple, keys: tuple, vals: tuple) -> LuaTable:
        """``{k = v, ..., positional...}``: keyed fields first, then the positional items, which
        win on a clash as in PUC (its SETLIST runs after the keyed stores)."""
        n = len(values)
        self.meter.alloc(TABLE_OVERHEAD + SLOT_SIZE * (n + len(keys)))
        t = LuaTable()
        for k, v in zip(keys, vals):
            k = norm_key(k)
            if v is None:
                t.pop(k, None)
            else:
                t[k] = v
        for i, v in enumerate(values, 1):
            if v is not None:
                t[i] = v
        return t

    def _closure(self, fn: FunctionType, nup: int) -> FunctionType:
        self.meter.alloc(CLOSURE_OVERHEAD + UPVALUE_SIZE * nup)
        return fn

    def _measure_live(self) -> int:
        from luavm.heap import measure_live

        return measure_live(self)

    def collect_garbage(self) -> None:
        """``collectgarbage("collect")``: give back the memory of everything unreachable now."""
        self.meter.collect()

    def alloc_slot(self, t: LuaTable) -> None:
        """A new key is about to be stored in ``t``: charge its slot; ``next`` must re-snapshot."""
        if t._order is not None:
            forget_order(t)
        self.meter.alloc(SLOT_SIZE)

    def charge_snapshot(self, nkeys: int) -> None:
        """``next`` took a traversal snapshot of ``nkeys`` keys (table.next_key)."""
        self.charge(nkeys >> SNAPSHOT_SHIFT)
        self.meter.alloc(SNAPSHOT_SLOT_SIZE * nkeys)

    def _tbc_check(self, v: Any, name: str) -> None:
        if v is None or v is False:
            return
        if self.ops.metamethod(v, b"__close") is None:
            raise LuaError(f"variable '{name}' got a non-closable value", level=0)

    def _tbc_ok(self, v: Any) -> None:
        if v is None or v is False:
            return
        h = self.ops.metamethod(v, b"__close")
        self.ops.call(self.ops.callable_of(h, "metamethod 'close'"), v, None)

    def _tbc_error(self, v: Any, e: BaseException) -> BaseException:
        """An error left a to-be-closed variable's scope: run __close(v, err); its error wins."""
        from luavm.coroutine import CoroutineKill

        if isinstance(e, LuaError):
            err = e.value
        elif isinstance(e, RecursionError):
            err = self.stack_overflow_value(e)
            e = LuaError(err)
        elif isinstance(e, CoroutineKill) or getattr(e, "close_state", False):
            err = None  # a killed coroutine; os.exit(code, true) closing the state (oslib.LuaExit)
        else:
            return e  # limits and luavm bugs: __close must not run
        if v is None or v is False:
            return e
        h = self.ops.metamethod(v, b"__close")
        try:
            if h is not None:
                self.ops.call(h, v, err)
        except LuaError as e2:
            return e2
        return e

    # ---------------------------------------------------------------- the API for library code

    def charge(self, n: int) -> None:
        ns = self.ns
        m = ns["_n"] = ns["_n"] + n
        if m > ns["_L"]:
            self.meter.check(n)

    def alloc(self, nbytes: int) -> None:
        self.meter.alloc(nbytes)

    def alloc_string(self, n: int) -> None:
        self.meter.alloc(STRING_OVERHEAD + n)

    def call(self, f: Any, *args: Any) -> tuple:
        if type(f) is not FT:
            f = self.ops.callable_of(f, None)
        if len(args) > SPARE_PARAMS:
            args = fit_args(f, args)
        r = f(*args)
        if type(r) is list:
            r = tramp(r)
        return r

    def tostring(self, v: Any) -> bytes:
        return self.ops.tostring(v)

    def address(self, v: Any) -> str:
        """The printed address of a string or collectable value, ``0x...`` (deterministic)."""
        return "0x%x" % self.addresses.of(v)

    def index(self, o: Any, k: Any) -> Any:
        return self.ops.index(o, k)

    def setindex(self, o: Any, k: Any, v: Any) -> None:
        self.ops.setindex(o, k, v)

    def eq(self, a: Any, b: Any) -> bool:
        return self.ops.eq(a, b)

    def lt(self, a: Any, b: Any) -> bool:
        return self.ops.lt(a, b)

    def le(self, a: Any, b: Any) -> bool:
        return self.ops.le(a, b)

    def length(self, v: Any) -> Any:
        return self.ops.length(v)

    def getmetatable(self, v: Any) -> LuaTable | None:
        return self.ops.getmetatable(v)

    def seconds_since_start(self) -> float:
        return self.meter.stats().seconds

    @property
    def stats(self) -> Stats:
        return self.meter.stats()

    def stack_overflow_value(self, e: RecursionError) -> bytes:
        """``chunk:line: stack overflow`` naming the innermost Lua function on the overflowed stack.

        If a limit stopped the script, the overflow happened while that limit was unwinding the
        stack (or building it): the limit is raised instead, so pcall can never swallow it."""
        if self.meter.tripped is not None:
            raise self.meter.tripped
        tb = e.__traceback__
        tail: deque = deque(maxlen=64)
        while tb is not None:  # ~200,000 entries: keep only the innermost ones
            tail.append(tb)
            tb = tb.tb_next
        for entry in reversed(tail):
            lf = callstack.classify(entry.tb_frame.f_code, entry.tb_lineno)
            if lf is not None and lf.chunk is not None:
                return lf.where + b"stack overflow"
        return b"stack overflow"

    def register_builtins(self, table: LuaTable, prefix: str = "") -> None:
        """Record the library's functions so error positions and tracebacks can name them."""
        for k, v in table.items():
            if type(v) is FT and type(k) is bytes:
                callstack.register_builtin(v, prefix + k.decode("latin-1"), qualified=True)

    # ---------------------------------------------------------------- loading and running

    def compile(self, source: bytes, chunkname: str, env_is_table: bool = True,
                is_file: bool = True, source_name: str | None = None, *,
                metered: bool = False) -> CompiledChunk:
        """Parse and compile (cached by source text): raises LuaSyntaxError.

        ``is_file``: skip a first line starting with '#' (a shebang), as luaL_loadfile does.
        ``source_name``: the name as given to load ('@x.lua', '=stdin'), debug.getinfo's source.
        ``metered``: Lua code asked for it (``load``), so the work is charged to its limits."""
        return self._compile(source, chunkname, env_is_table, is_file, metered, source_name).cc

    def _compile(self, source: bytes, chunkname: str, env_is_table: bool, is_file: bool,
                 metered: bool, source_name: str | None = None, persistent: bool = False) -> Compiled:
        """Compile through the process-wide cache, charging the same whether or not it hits.

        The cost of a compile grows with its tokens, so a metered compile first counts them with
        the lexer alone, paying as it goes (interruptible: a huge chunk stops at its limits while
        being counted); the parse pays for its tokens again as the lexer feeds it (so do the
        replays of a syntax error) and is refused up front if it could not end by the deadline.
        Code generation and Python's compile(), which cannot stop midway, are paid for before
        they start and refused likewise. A cache hit pays the same charges in the same order, so
        counts never depend on what other runtimes compiled. The transient memory of a compile
        (``_compile_held``) is given back at its end, whatever the outcome.

        ``persistent`` (the host's own loads, never a metered one): look in the on-disk cache of
        earlier processes (diskcache.py) before compiling, and write what was compiled there."""
        key = (source, chunkname, env_is_table, is_file, source_name)
        c = COMPILE_CACHE.get(key)
        self._compile_held = 0
        try:
            if c is not None:
                if metered:  # the ticks the lexer would have reported, counting and parsing
                    for _ in range(2):
                        for _ in range(c.tokens // TICK_TOKENS):
                            self._parse_tick(TICK_TOKENS)
                        if c.tokens % TICK_TOKENS:
                            self._parse_tick(c.tokens % TICK_TOKENS)
                    self._compile_charges(c.tokens)
                return c
            stored, cid = None, None
            if persistent and not metered:
                from luavm import diskcache

                stored = diskcache.digest(key)
                cid = diskcache.chunk_id(stored)
                c = diskcache.load(stored, key)
                if c is not None:
                    COMPILE_CACHE.put(key, c)
                    return c
            from luavm.compile import parse

            tick = None
            if metered:
                tokens = self._on_lua_stack(lambda: self._count_tokens(source, chunkname, is_file))
                self.meter.refuse_past_deadline(tokens * PARSE_SECONDS_PER_TOKEN)
                tick = self._parse_tick
            chunk, tokens = self._on_lua_stack(lambda: _translated(
                lambda: self._parse_counting(parse, source, chunkname, is_file, tick)))
            if metered:
                self._compile_charges(tokens)
                self.meter.refuse_past_deadline(tokens * COMPILE_SECONDS_PER_TOKEN)
            from luavm.compile import compile_chunk

            cc = self._on_lua_stack(lambda: _translated(lambda: compile_chunk(chunk, env_is_table, source_name,
                                                                              cid=cid)))
            # what the generator twins are compiled from, when a coroutine first needs one
            cc = dataclasses.replace(cc, recipe=key)
            c = Compiled(cc, tokens)
            COMPILE_CACHE.put(key, c)
            if stored is not None:
                diskcache.save(stored, c)
            return c
        finally:
            if self._compile_held:
                self.meter.free(self._compile_held)
                self._compile_held = 0

    def _compile_charges(self, tokens: int) -> None:
        """Pay for code generation and compile() of a parsed chunk of ``tokens`` tokens."""
        self.charge(COMPILE_INSTRUCTIONS + tokens * COMPILE_INSTRUCTIONS_PER_TOKEN)
        self.meter.alloc(tokens * COMPILE_BYTES_PER_TOKEN)
        self._compile_held += tokens * COMPILE_BYTES_PER_TOKEN

    @staticmethod
    def _parse_counting(parse: Callable, source: bytes, chunkname: str, is_file: bool,
                        tick: Callable[[int], None] | None) -> tuple:
        """Parse, counting the tokens the lexer produced (the basis of the chunk's charges) and
        paying for each batch with ``tick``: a syntax error replays the parse, paid as well."""
        counted = 0

        def count(n: int) -> None:
            nonlocal counted
            counted += n
            if tick is not None:
                tick(n)

        token = TOKEN_METER.set(count)
        try:
            chunk = parse(source, chunkname, shebang=is_file)
        finally:
            TOKEN_METER.reset(token)
        return chunk, counted

    def _count_tokens(self, source: bytes, chunkname: str, is_file: bool) -> int:
        """The number of tokens of ``source``, paid for as the lexer reports them."""
        from luavm.compile.lexer import LexState, LuaLexer
        from luavm.compile.parser import _skip_first_line

        counted = 0  # an int, not a list: a measurement during a tick must see what a cache hit sees

        def tick(n: int) -> None:
            nonlocal counted
            counted += n
            self._parse_tick(n)

        token = TOKEN_METER.set(tick)
        try:
            for _ in LuaLexer().lex(LexState(_skip_first_line(source) if is_file else source, chunkname)):
                pass
        except LuaSyntaxError:
            pass  # the parse reports it, with PUC's message
        finally:
            TOKEN_METER.reset(token)
        return counted

    def _parse_tick(self, n: int) -> None:
        """The lexer produced ``n`` more tokens of a chunk Lua is loading: pay for them."""
        self.charge(n * PARSE_INSTRUCTIONS_PER_TOKEN)
        self.meter.alloc(n * PARSE_BYTES_PER_TOKEN)
        self._compile_held += n * PARSE_BYTES_PER_TOKEN

    def load(self, source: bytes | str, chunkname: str | None = None, env: Any = ...,
             is_file: bool = True, *, metered: bool = False, persistent: bool = False) -> Callable[..., tuple]:
        """Compile a text chunk into a Lua function (``load`` semantics; env defaults to _G).
        ``persistent``: a file of the host's (a script, a plugin), worth caching on disk."""
        if isinstance(source, str):
            source = source.encode("utf-8")
        raw = chunkname if chunkname is not None else source.decode("latin-1")
        name = chunkid(raw)
        if env is ...:
            env = self.globals
        c = self._compile(source, name, type(env) is LuaTable, is_file, metered, raw, persistent)
        if c.cc.filename not in self.chunk_origins:  # for string.dump; dropped with the chunk
            self.chunk_origins[c.cc.filename] = Origin(source, chunkname if chunkname is not None
                                                       else source.decode("latin-1"), is_file)
        return self._instantiate(c, env, metered)

    def instantiate(self, cc: CompiledChunk, env: Any) -> Callable[..., tuple]:
        """A compiled chunk's main function in this runtime (for chunks compiled elsewhere)."""
        return self._instantiate(Compiled(cc, 0), env)

    def _instantiate(self, c: Compiled, env: Any, metered: bool = False) -> Callable[..., tuple]:
        """The main function of ``c`` in this runtime. Code that Lua loaded (``metered``) is
        charged to the runtime while it is reachable; the host's own chunks are not."""
        ns, cc = self.ns, c.cc
        if cc.main_factory not in ns:
            size = chunk_size(c.tokens) if metered else 0
            if size:
                self.meter.alloc(size)
            exec(cc.code, ns)
            ns[f"_chunk{cc.cid}"] = cc  # how genops finds the recipe of the twins
            self.chunks.add(c, size)
        return ns[cc.main_factory]([env] if cc.env_cell else env)

    def instantiate_twins(self, cc: CompiledChunk) -> None:
        """Define the generator twins of a chunk's functions in our namespace (genops.py):
        compiled the first time a coroutine calls one of them, once per process."""
        source, chunkname, env_is_table, is_file, source_name = cc.recipe
        self.charge(1 + (len(source) >> 4))  # as load charges a compilation (cached or not)
        code = cc.twins.get("code")
        if code is None:
            from luavm.compile import compile_chunk, parse

            chunk = _translated(lambda: parse(source, chunkname, shebang=is_file))
            twins = _translated(lambda: compile_chunk(chunk, env_is_table, source_name, twins_of=cc.cid))
            cc.twins["info"] = twins.info  # keeps the twins' (weak) callstack.CHUNKS entry
            code = cc.twins["code"] = twins.code
        exec(code, self.ns)

    def execute(self, source: bytes | str, chunkname: str | None = None, *args: Any) -> tuple:
        """Load and run a chunk; returns its results. Lua errors raise LuaError."""
        fn = self.load(source, chunkname)
        return self.pcall_host(fn, *args)

    def pcall_host(self, f: Any, *args: Any) -> tuple:
        """Call a Lua value from the host: errors come back as LuaError with a Lua traceback."""
        if getattr(_local, "lua_thread", False):
            return self._pcall(f, args)
        return _LuaWorker.get().run(lambda: self._pcall(f, args))

    def _pcall(self, f: Any, args: tuple) -> tuple:
        """pcall_host on the Lua thread itself."""
        self.meter.mark_stack_base()
        try:
            return self.call(f, *args)
        except BaseException as e:
            raise self._host_error(e)

    def host_caller(self) -> Callable[..., tuple]:
        """pcall_host for an embedder's loop of calls on the Lua thread (mark_lua_thread), all
        made from one frame: the host's frames below them are counted once, at the first call,
        not per call. Each call sees the same stack as through pcall_host, frame for frame (the
        depth a script reaches before Python's recursion limit depends on it)."""
        meter, call, host_error = self.meter, self.call, self._host_error
        base: int | None = None

        def pcall(f: Any, *args: Any) -> tuple:  # in pcall_host's place
            return on_stack(f, args)

        def on_stack(f: Any, args: tuple) -> tuple:  # in _pcall's
            nonlocal base
            if base is None:
                meter.mark_stack_base()
                base = meter.stack_base
            else:
                meter.stack_base = base  # a call in between may have moved it
            try:
                return call(f, *args)
            except BaseException as e:
                raise host_error(e)

        return pcall

    def _host_error(self, e: BaseException) -> BaseException:
        """What a host call raises for an exception out of Lua: a LuaError with its Lua
        traceback; a stack overflow as Lua's error; luavm's own errors and those that are not
        Exceptions as they are; anything foreign translated (the run-time boundary)."""
        if isinstance(e, LuaError):
            if e.traceback is None:
                e.traceback = callstack.error_traceback(e.__traceback__, self)
            return e
        if isinstance(e, RecursionError):
            err = LuaError(self.stack_overflow_value(e))
            err.traceback = callstack.format_traceback(callstack.traceback_frames(e.__traceback__)[:22])
            err.__cause__ = None  # as `raise err from None`
            err.__suppress_context__ = True
            return err
        if isinstance(e, LuavmError) or not isinstance(e, Exception):
            return e
        foreign = translate(e)
        foreign.__cause__ = e  # as `raise translate(e) from e`
        return foreign

    def mark_lua_thread(self) -> None:
        """For embedders that run Lua on a thread of their own, started with a stack of
        LUA_THREAD_STACK bytes: Lua may then run on it directly, without the worker hand-off."""
        _local.lua_thread = True

    def _on_lua_stack(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on a thread with a big C stack (the current one if it already is)."""
        if getattr(_local, "lua_thread", False):
            return fn()
        return _LuaWorker.get().run(fn)

    def reset_budget(self) -> float:
        """Start a fresh instruction and time budget (per plugin hook call); returns when it
        started (time.monotonic())."""
        return self.meter.reset_window()

    def close(self) -> None:
        """Drop the coroutines still suspended (their pending __close do not run, as in lua_close)
        and the debug hooks (tracing set for this runtime stops)."""
        from luavm.lib.corolib import close_all
        from luavm.lib.hooks import close_hooks

        close_all(self)
        self._on_lua_stack(lambda: close_hooks(self))  # sys.settrace is per thread: the Lua one
