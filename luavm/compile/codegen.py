"""Code generation: Lua AST -> Python source, one Python function per Lua function.

The compiler's second pass. ``Resolver`` (resolver.py) has bound every name to a local, an
upvalue or a global and found which locals are captured by inner functions. ``CodeGen`` then
writes Python:

- plain locals are Python locals; captured locals live in one-element lists ("cells") so each
  loop iteration gets a fresh one and closures share them;
- every Lua function becomes a module-level factory ``_mkCfN(cells...)`` that returns the Python
  function; the factory binds the captured cells at closure creation time;
- each operator is inlined for its common case (two ints, a table hit, a Lua function call)
  and falls back to ``Operators`` (ops.py) for metamethods, coercions and error messages;
- every straight-line run of statements is charged its static cost (costs.py) before it
  runs (``if (_n := _n + K) > _L: _chk(K)``), see meter.py and docs/METERING.md;
- ``return f(x)`` returns ``[f, x]`` when f is a compiled Lua function of this runtime, and
  callers trampoline it, so tail calls run in constant Python stack.

Compiled with ``twins_of``, the same chunk gives instead the generator *twins* of its
functions (factories ``_mkCfN_g``), used inside coroutines (genops.py): the runtime asks for them
the first time a coroutine calls one of the chunk's functions, so code that never runs in a
coroutine costs nothing more to compile.

The line table (Python line -> Lua line) is registered in callstack.CHUNKS.

Names (the one rule that keeps Lua names and generated names apart): a Lua local's Python
name is ``<name>_<n>`` (``v_<n>`` when the Lua name is no Python identifier), where ``n`` is
unique per declaration in the chunk; a name derived from one local puts a prefix before it
(``_i<local>``, ``_cf<local>``), so it still ends in that local's own ``_<n>``. No other
generated name ends in ``_<digits>``: ``lua<i>`` (functions), ``_mk<c>f<i>`` (factories),
``_o<c>r<k>`` (outlined regions), ``_t<k>``, ``_g<k>``, ``_x<k>``, ``ENV``, ``VA``, ``_n``,
``_r``, the runtime namespace (``LT``, ``_idx``...), Python keywords and builtins. Lua globals
are table keys, never Python names. So no Lua name can reach or shadow generated code.

Deep nesting: CPython allows 20 nested loop/try blocks per function and 100 indentation
levels per file; a statement that would nest deeper is outlined (see ``resolver.Region``).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field

from luavm.callstack import ChunkInfo, FuncProto, LocalInfo, call_sites
from luavm.chunks import CompiledChunk
from luavm.compile import nodes as N
from luavm.compile.costs import GENFOR_ITERATION_COST, NUMFOR_ITERATION_COST, loop_test_cost, stmt_cost
from luavm.compile.resolver import FuncInfo, Region, Resolver, Var
from luavm.compile.typeinfer import ANY, FLT, INT, NUMERIC, TypeEnv, arith_type, infer_function
from luavm.luanumbers import MAXINT as MAX, MININT as MIN, wrap as _wrap
from luavm.meter import SLOT_SIZE
from luavm.ops import SPARE_PARAMS

_chunk_ids = itertools.count(1)
METHOD_MARK = "  # method call"
CALL_LINE_MARK = "\x02"  # around a call's Lua line in generated text (CodeGen.call_raw); never in code
EXPR_HOIST = 12  # nested expressions between two temporaries (CPython: 200 nested parentheses)

_ARITH = {"+": "+", "-": "-", "*": "*"}
_CMP = {"<": "lt", "<=": "le", ">": "lt", ">=": "le"}
_PYCMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


class CompileError(Exception):
    """The compiler met something the parser should have rejected (a luavm bug)."""


@dataclass
class Loop:
    """A Python loop being generated: a Lua loop, or a goto dispatch loop (``gid``)."""

    kind: str  # 'lua' or 'dispatch'
    gid: int = 0
    flag: str = ""  # for dispatch loops: name of the "break pending" flag
    labels: dict[str, int] = field(default_factory=dict)
    exits: set[str] = field(default_factory=set)  # flags a goto set to leave this loop
    breaks_through: bool = False  # a Lua break crosses this dispatch loop


class FuncGen:
    """Per-function generation state."""

    def __init__(self, info: FuncInfo, pyname: str):
        self.info = info
        self.pyname = pyname
        self.tmp = 0
        self.loops: list[Loop] = []
        self.tbc_vars: list[Var] = []
        self.closing_loops = 0  # generic fors with a closing value: no tail calls inside (PUC)
        self.locals: list[tuple[Var, str, str]] = []  # (var, start mark, end mark) for debug.getlocal
        self.scopes: list[list[int]] = []  # indices into locals, per open block


class CodeGen:
    def __init__(self, chunk: N.Chunk, resolver: Resolver, main: FuncInfo, env_is_table: bool, cid: int,
                 twins: bool = False):
        self.cid = cid
        self.twins = twins  # write the generator twins of the chunk's functions, nothing else
        self.chunk = chunk
        self.r = resolver
        self.main = main
        self.env_is_table = env_is_table and not resolver.env_assigned
        self.out: list[tuple[int, str, int]] = []  # (indent, text, lua line)
        self.indent = 0
        self.line = 1
        self.f: FuncGen | None = None
        self.functions: dict[str, tuple[str, int]] = {}
        self.factories: list[list[tuple[int, str, int]]] = []
        self.seg_stack: list[list] = []
        self.gids = itertools.count()
        self.gen = False  # writing the generator twin of a function (coroutine mode)
        self.edepth = 0  # expressions being compiled, nested (see expr1)
        self.marks = itertools.count()
        self.mark_lines: dict[str, int] = {}  # marker -> Python line of the next real line
        self.protos: dict[str, tuple] = {}  # pyname -> what FuncProto needs, marks unresolved
        self.strip = False  # a chunk loaded from a stripped dump: messages name no variables

    # ------------------------------------------------------------------ output helpers

    def emit(self, text: str) -> None:
        self.out.append((self.indent, text, self.line))

    # ---- debug information: markers are entries with no code; compile() turns them into lines

    def mark(self) -> str:
        m = f"\0{next(self.marks)}"
        self.out.append((self.indent, m, self.line))
        return m

    def scope_open(self) -> None:
        self.f.scopes.append([])

    def declare_locals(self, vs: list[Var]) -> None:
        """The locals ``vs`` are active from here to the end of the innermost open scope."""
        m = self.mark()
        for v in vs:
            self.f.scopes[-1].append(len(self.f.locals))
            self.f.locals.append((v, m, ""))

    def scope_close(self) -> None:
        m = self.mark()
        for i in self.f.scopes.pop():
            v, start, _ = self.f.locals[i]
            self.f.locals[i] = (v, start, m)

    def new_tmp(self) -> str:
        self.f.tmp += 1
        return f"_t{self.f.tmp}"

    def hoist(self, code: str) -> str:
        t = self.new_tmp()
        self.emit(f"{t} = {code}")
        return t

    def slow(self, name: str, args: str) -> str:
        """A call of an operator's slow path ``_name(args)``. In a generator twin, slow paths
        that may run a metamethod are generators (genops.py) driven with ``yield from``, so a
        metamethod may yield the coroutine, as Lua 5.4 allows."""
        if self.gen:
            return f"(yield from _g{name[1:]}({args}))"
        return f"{name}({args})"

    # ---- metering segments: each straight-line run is charged once, before it runs

    def seg_begin(self) -> None:
        idx = len(self.out)
        self.emit("")  # placeholder, filled by seg_end
        self.seg_stack.append([idx, 0])

    def seg_add(self, cost: int) -> None:
        if self.seg_stack:
            self.seg_stack[-1][1] += cost

    def seg_end(self) -> None:
        idx, cost = self.seg_stack.pop()
        ind, _, line = self.out[idx]
        if cost:
            self.out[idx] = (ind, f"if (_n := _n + {cost}) > _L: _chk({cost})", line)
        else:
            self.out[idx] = (ind, "", line)

    def stmt_cost(self, st: object) -> int:
        """costs.stmt_cost of ``st`` in the function being written (its upvalues are known here)."""
        return stmt_cost(st, self._is_upvalue)

    def _is_upvalue(self, name: N.Name) -> bool:
        v = self.r.ref.get(id(name))
        return v is not None and v.func is not self.f.info

    def seg_restart(self) -> None:
        """End the current run and start a new one at this point (after control flow)."""
        self.seg_end()
        self.seg_begin()

    # ------------------------------------------------------------------ entry point

    def compile(self) -> tuple[str, dict[str, tuple[str, int]]]:
        self.gen_function(self.main, None, "main chunk")
        lines: list[str] = []
        linemap = [0]
        self.method_lines: set[int] = set()
        self.call_lines: dict[int, tuple] = {}
        self.call_line_cols: dict[int, tuple[tuple[int, int], ...]] = {}  # py line -> (column, Lua line)
        for block in self.factories:
            for ind, text, lualine in block:
                if not text:
                    continue
                if text[0] == "\0":
                    self.mark_lines[text] = len(lines) + 1
                    continue
                if text.endswith(METHOD_MARK):
                    self.method_lines.add(len(lines) + 1)
                line = "    " * ind + text
                if CALL_LINE_MARK in text:
                    line = self._strip_call_lines(line, len(lines) + 1)
                lines.append(line)
                linemap.append(lualine)
                if "_cof(" in text or "_callx(" in text or "_gf(" in text or "_gcallx(" in text:
                    self.call_lines[len(lines)] = call_sites(lines[-1])
        self.linemap = linemap
        return "\n".join(lines) + "\n", self.functions

    def _strip_call_lines(self, line: str, pyline: int) -> str:
        """Remove the call-line markers of a Python line, recording (column -> Lua line)."""
        parts = line.split(CALL_LINE_MARK)
        out = [parts[0]]
        col = len(parts[0])
        sites = []
        for i in range(1, len(parts) - 1, 2):
            sites.append((col, int(parts[i])))
            out.append(parts[i + 1])
            col += len(parts[i + 1])
        self.call_line_cols[pyline] = tuple(sites)
        return "".join(out)

    # ------------------------------------------------------------------ variables

    def _local_type(self, name: N.Name) -> str:
        v = self.r.ref.get(id(name))
        if v is not None and not v.captured and v.func is self.f.info:
            return v.vtype
        return ANY

    def etype(self, e: object) -> str:
        return self.types.etype(e) or ANY

    def var_read(self, v: Var) -> str:
        return f"{v.pyname}[0]" if v.captured else v.pyname

    def var_desc(self, v: Var) -> str:
        kind = "upvalue" if v.func is not self.f.info else "local"
        if v.attrib in ("const", "close") and kind == "local":
            kind = "local"
        return f"{kind} '{v.name}'"

    def global_env(self, node: N.Name) -> str:
        """The _ENV a free name refers to: a local ``_ENV`` in scope, else the chunk's."""
        v = self.r.envref.get(id(node))
        if v is not None:
            return self.var_read(v)
        return "ENV[0]" if self.r.env_assigned else "ENV"

    # ------------------------------------------------------------------ functions

    def gen_function(self, info: FuncInfo, fn: N.Function | None, luaname: str) -> str:
        """Generate the factory for ``info`` -- or, compiling twins, the factory of its generator
        twin (the same body for use inside coroutines: see genops.py); return the expression
        that creates the (plain) closure."""
        return self.gen_factory(info, fn, luaname, twin=self.twins)

    def gen_factory(self, info: FuncInfo, fn: N.Function | None, luaname: str, twin: bool) -> str:
        saved = (self.out, self.indent, self.f, self.seg_stack, self.line, self.gen)
        self.gen = twin
        self.out = []
        self.indent = 0
        self.seg_stack = []
        pyname = f"lua{info.index}"
        self.f = FuncGen(info, pyname)
        self.functions[pyname] = (luaname, fn.line if fn else 0)
        upnames = ["ENV"] + [v.pyname for v in info.upvals]
        self.line = fn.line if fn else 1
        factory = f"_mk{self.cid}f{info.index}"
        self.emit(f"def {factory}{'_g' if twin else ''}({', '.join(upnames)}):")

        self.indent = 1
        params = self.r.decl.get(id(fn), []) if fn is not None else []
        plist = [f"{v.pyname}=None" for v in params]
        if fn is None or fn.is_vararg:
            plist.append("*VA")
        else:
            # Spare defaulted parameters instead of *args: extra arguments land there and are
            # ignored, and CPython can specialise the call (a *args signature makes it ~40%
            # slower). Call sites that may pass more use _callx, which truncates.
            plist.extend(f"_x{i}=None" for i in range(SPARE_PARAMS))
        self.emit(f"def {pyname}({', '.join(plist)}):")
        self.indent = 2
        self.emit("global _n")
        if fn is None or fn.is_vararg:
            # receiving n values in `...` copied them: the caller's fast path does not charge it
            self.emit(f"if len(VA) > {SPARE_PARAMS}: _vach(len(VA))")
        for v in params:
            if v.captured:
                self.emit(f"{v.pyname} = [{v.pyname}]")
        self.scope_open()
        self.declare_locals(params)
        body = fn.body if fn is not None else self.chunk.body
        infer_function(params, body, self.r.ref, self.r.decl, info)
        saved_env = getattr(self, "types", None)
        self.types = TypeEnv(self._local_type)
        self.types.cache = {}
        self.seg_begin()
        body_mark = self.mark()  # after the entry charge, which has the header's line
        self.block_body(body)
        self.seg_end()
        self.line = fn.end_line if fn else _last_line(self.chunk)
        self.emit("return ()")
        self.scope_close()
        ups = [("_ENV", "ENV")] if fn is None else \
            [("_ENV", "ENV") if u == "ENV" else (u.name, u.pyname) for u in info.uporder]
        self.protos[pyname] = (luaname, fn.line if fn else 0, fn.end_line if fn else 0, len(params),
                               fn is None or fn.is_vararg, ups, self.f.locals, body_mark, self.mark())
        if twin:
            self.emit("yield  # never reached: makes the twin a generator even with no call in it")
        self.indent = 1
        self.emit(f"return {pyname}")
        self.factories.append(self.out)
        self.types = saved_env
        self.out, self.indent, self.f, self.seg_stack, self.line, self.gen = saved
        args = ", ".join(["ENV"] + [v.pyname for v in info.upvals])
        return f"_mk{self.cid}f{info.index}({args})"  # the plain factory, even when writing twins

    def closure(self, fn: N.Function, luaname: str) -> str:
        info = self.r.funcs[id(fn)]
        make = self.gen_function(info, fn, luaname)  # in a twin too: closures are plain functions
        return f"_closure({make}, {len(info.upvals)})"

    # ------------------------------------------------------------------ blocks and statements

    def block_body(self, body: tuple) -> None:
        """Statements of one block; handles labels with a dispatch loop when gotos target them."""
        labels = [i for i, st in enumerate(body) if type(st) is N.Label]
        self.scope_open()
        if labels:
            self.labelled_block(body)
        else:
            self.stmts(body)
        self.scope_close()

    def stmts(self, body: tuple) -> None:
        tbc_open = 0
        for i, st in enumerate(body):
            self.line = st.line
            if type(st) is N.Local and "close" in st.attribs:
                self.stmt(st)
                tbc_open += 1
                self.tbc_open(st)
                continue
            self.stmt(st)
        for _ in range(tbc_open):
            self.tbc_close()

    def block(self, body: tuple) -> None:
        """A nested block that starts its own straight-line run (if/loop bodies)."""
        self.indent += 1
        self.seg_begin()
        self.block_body(body)
        if not body:
            self.emit("pass")
        self.seg_end()
        self.indent -= 1

    def stmt(self, st: object) -> None:
        region = self.r.regions.get(id(st))
        if region is not None:
            self.outline(region)
            return
        getattr(self, "st_" + type(st).__name__)(st)

    # --- outlined regions (see Region): deep nesting moved into a function of its own

    def outline(self, region: Region) -> None:
        st = region.node
        # a twin's region is a generator of its own name: both modules share one namespace
        name = f"_o{self.cid}r{region.index}" + ("g" if self.gen else "")
        fn = self.f.info.node
        params = ["ENV"] + (["VA"] if fn is None or fn.is_vararg else []) + [v.pyname for v in region.vars]
        saved = (self.out, self.indent, self.seg_stack, self.f.loops)
        self.out, self.indent, self.seg_stack, self.f.loops = [], 0, [], []
        self.emit(f"def {name}({', '.join(params)}):")
        self.indent = 1
        self.emit("global _n")
        self.seg_begin()
        getattr(self, "st_" + type(st).__name__)(st)
        self.seg_end()
        self.emit("pass")
        if self.gen:
            self.emit("return None")
            self.emit("yield  # never reached: makes the twin's region a generator")
        self.factories.append(self.out)
        self.out, self.indent, self.seg_stack, self.f.loops = saved
        self.functions[name] = self.functions[self.f.pyname]  # the same Lua function (callstack.py)
        call = self.outlined_call(name, params)
        if region.has_return:
            self.emit(f"if (_r := {call}) is not None: return _r")
        else:
            self.emit(call)
        if type(st) is not N.Do:  # as the statement itself does: what follows is a new run
            self.seg_restart()

    def outlined_call(self, name: str, args: list[str]) -> str:
        """The call of an outlined region: None when it fell through, else what to return.

        The one place such a call is written: in a generator twin it is ``yield from``."""
        if self.gen:
            return f"(yield from {name}({', '.join(args)}))"
        return f"{name}({', '.join(args)})"

    # --- to-be-closed variables: try/except around the rest of the block

    def tbc_open(self, st: N.Local) -> None:
        v = [v for v, a in zip(self.r.decl[id(st)], st.attribs) if a == "close"][0]
        self.emit(f"_tbc_check({self.var_read(v)}, {v.name!r})")
        flag = f"_cf{v.pyname}"
        self.emit(f"{flag} = False")
        self.emit("try:")
        self.indent += 1
        self.f.tbc_vars.append(v)

    def tbc_close(self) -> None:
        """Close the variable on every exit: normal, break, return (finally) or error (except)."""
        v = self.f.tbc_vars.pop()
        self.emit("pass")
        self.indent -= 1
        val = self.var_read(v)
        flag = f"_cf{v.pyname}"
        self.emit("except BaseException as _e:")
        self.emit(f"    {flag} = True")
        self.emit(f"    raise {self.slow('_tbc_error', f'{val}, _e')}")
        self.emit("finally:")
        self.emit(f"    if not {flag}: {self.slow('_tbc_ok', val)}")

    def st_Local(self, st: N.Local) -> None:
        vs = self.r.decl[id(st)]
        self.seg_add(self.stmt_cost(st))
        values = self.explist(st.exprs, len(vs))
        for v, val in zip(vs, values):
            if v.captured:
                self.emit(f"{v.pyname} = [{val}]")
            else:
                self.emit(f"{v.pyname} = {val}")
        self.declare_locals(vs)

    def st_LocalFunction(self, st: N.LocalFunction) -> None:
        (v,) = self.r.decl[id(st)]
        self.seg_add(self.stmt_cost(st))
        self.line = st.func.end_line  # PUC makes the closure at the function's 'end' (line hooks)
        if v.captured:
            self.emit(f"{v.pyname} = [None]")
            self.emit(f"{v.pyname}[0] = {self.closure(st.func, f'local {st.name!r}')}")
        else:
            self.emit(f"{v.pyname} = {self.closure(st.func, f'local {st.name!r}')}")
        self.declare_locals([v])

    def st_FunctionStat(self, st: N.FunctionStat) -> None:
        tg = st.target
        if type(tg) is N.Name:
            v = self.r.ref.get(id(tg))
            name = f"function '{tg.name}'" if v is None else f"local '{tg.name}'"
        else:
            if st.func.is_method:
                name = f"method '{tg.key.value.decode('latin-1')}'"
            else:
                name = f"function '{_dotted(tg)}'"
        self.seg_add(self.stmt_cost(st))
        self.assign_to(tg, self.closure(st.func, name))

    def st_Assign(self, st: N.Assign) -> None:
        self.seg_add(self.stmt_cost(st))
        if len(st.targets) == 1 and len(st.exprs) == 1:
            tg = st.targets[0]
            if type(tg) is N.Index:
                obj = self.object_operand(tg.obj)
                key = self.operand(tg.key)
                val = self.expr1(st.exprs[0])
                self.set_index(obj, key, val, tg)
            else:
                self.assign_to(tg, self.expr1(st.exprs[0]))
            return
        # Evaluate the targets' table and key expressions, then all values, then assign.
        prepared = []
        for tg in st.targets:
            if type(tg) is N.Index:
                obj = self.object_operand(tg.obj, force=True)
                key = self.operand(tg.key, force=True)
                # a later target may reassign these locals: take their values now
                obj = self.hoist(obj) if _is_simple_name(obj) else obj
                key = self.hoist(key) if _is_simple_name(key) else key
                prepared.append((tg, obj, key))
            else:
                prepared.append((tg, None, None))
        values = [self.hoist(v) if not _is_const(v) else v for v in self.explist(st.exprs, len(st.targets))]
        for (tg, obj, key), val in reversed(list(zip(prepared, values))):  # PUC assigns right to left
            if obj is not None:
                self.set_index(obj, key, val, tg)
            else:
                self.assign_to(tg, val)

    def assign_to(self, tg: object, val: str) -> None:
        if type(tg) is N.Name:
            v = self.r.ref.get(id(tg))
            if v is not None:
                self.emit(f"{v.pyname}[0] = {val}" if v.captured else f"{v.pyname} = {val}")
            elif tg.name == "_ENV" and self.r.env_assigned:
                self.emit(f"ENV[0] = {val}")
            else:
                env = self.global_env(tg)
                envvar = self.r.envref.get(id(tg))
                desc = self.var_desc(envvar).replace(envvar.name, "_ENV") if envvar is not None else "upvalue '_ENV'"
                self.set_index(env, repr(tg.name.encode()), val, None, const_key=True, desc=desc)
        elif type(tg) is N.Index:
            obj = self.object_operand(tg.obj)
            key = self.operand(tg.key)
            self.set_index(obj, key, val, tg)
        else:
            raise CompileError(f"cannot assign to {type(tg).__name__}")

    def set_index(self, obj: str, key: str, val: str, tg: object, const_key: bool = False,
                  desc: str | None = None) -> None:
        if tg is not None:
            desc = self.describe(tg.obj)
        if not _is_simple(val):
            val = self.hoist(val)
        if val == "None":
            self.emit(self.slow("_setidx", f"{obj}, {key}, None, {desc!r}"))
            return
        notnil = "" if _is_const(val) else f" and {val} is not None"
        if const_key or (tg is not None and type(tg.key) is N.String) or (tg is not None and type(tg.key) is N.Number and type(tg.key.value) is int):
            self.emit(f"if type({obj}) is LT and {key} in {obj}{notnil}: {obj}[{key}] = {val}")
            plain_key = ""
        else:
            self.emit(f"if type({obj}) is LT and type({key}) is not bool and {key} in {obj}{notnil}: {obj}[{key}] = {val}")
            plain_key = f" and (type({key}) is int or type({key}) is bytes)"  # stored as they are
        # a new key in a plain table (no metatable, no traversal snapshot to drop): its slot
        # charged as ops.setindex charges it, without the call
        self.emit(f"elif type({obj}) is LT and {obj}.meta is None and {obj}._order is None{plain_key}{notnil}: "
                  f"_alloc({SLOT_SIZE}); {obj}[{key}] = {val}")
        self.emit(f"else: {self.slow('_setidx', f'{obj}, {key}, {val}, {desc!r}')}")

    def st_CallStat(self, st: N.CallStat) -> None:
        self.seg_add(self.stmt_cost(st))
        code = self.call_raw(st.call)
        mark = METHOD_MARK if type(st.call) is N.MethodCall else ""
        self.emit(f"if type(_r := {code}) is list: {self.slow('_tramp', '_r')}{mark}")

    def st_Do(self, st: N.Do) -> None:
        if st.body:
            self.line = st.body[0].line  # PUC has no instruction on a 'do' line (line hooks)
        self.emit("if True:")
        self.indent += 1
        self.block_body(st.body)
        if not st.body:
            self.emit("pass")
        self.indent -= 1

    def st_Return(self, st: N.Return) -> None:
        self.seg_add(self.stmt_cost(st))
        ex = st.exprs
        if len(ex) == 1 and type(ex[0]) in (N.Call, N.MethodCall) and not self.f.tbc_vars \
                and not self.f.closing_loops:
            self.tail_call(ex[0])
            return
        if not ex:
            self.emit("return ()")
        else:
            self.emit(f"return {self.exptuple(ex)}")

    def tail_call(self, call: N.Call | N.MethodCall) -> None:
        fn, args, desc = self.call_parts(call)
        f = fn if _is_simple_name(fn) else self.hoist(fn)
        mark = METHOD_MARK if type(call) is N.MethodCall else ""
        if self.gen:  # a builtin in tail position may be a yield: called as a generator
            self.emit(f"if type({f}) is FT and {f}.__globals__ is _NS: return [{f}, {args}]{mark}")
            self.emit(f"return (yield from _gf({f}, {desc!r})({args})){mark}")
            return
        self.emit(f"if type({f}) is FT:")
        self.emit(f"    return [{f}, {args}] if {f}.__globals__ is _NS else {f}({args}){mark}")
        self.emit(f"return _cof({f}, {desc!r})({args}){mark}")

    def st_Break(self, st: N.Break) -> None:
        self.seg_add(self.stmt_cost(st))
        # Leave any goto-dispatch loops between here and the innermost Lua loop.
        crossing = []
        for lp in reversed(self.f.loops):
            if lp.kind == "lua":
                break
            crossing.append(lp)
        for lp in crossing:
            lp.breaks_through = True
        if crossing:
            self.emit(f"{crossing[0].flag} = True")
        self.emit("break")

    def st_Goto(self, st: N.Goto) -> None:
        self.seg_add(self.stmt_cost(st))
        crossed: list[Loop] = []
        for lp in reversed(self.f.loops):
            if lp.kind == "dispatch" and st.label in lp.labels:
                k = lp.labels[st.label]
                self.emit(f"_g{lp.gid} = {k}")
                if not crossed:
                    self.emit("continue")
                else:
                    flag = f"_gj{lp.gid}"
                    self.emit(f"{flag} = True")
                    for c in crossed:
                        c.exits.add(f"{flag}")
                    self.emit("break")
                return
            crossed.append(lp)
        raise CompileError(f"no visible label '{st.label}' for goto")

    def st_Label(self, st: N.Label) -> None:
        pass  # handled by labelled_block

    def labelled_block(self, body: tuple) -> None:
        gid = next(self.gids)
        segments: list[list] = [[]]
        labels: dict[str, int] = {}
        for st in body:
            if type(st) is N.Label:
                labels[st.name] = len(segments)
                segments.append([])
            else:
                segments[-1].append(st)
        lp = Loop("dispatch", gid, flag=f"_gb{gid}", labels=labels)
        self.emit(f"_g{gid} = 0")
        self.emit(f"_gj{gid} = False")
        self.emit(f"{lp.flag} = False")
        self.emit("while True:")
        self.indent += 1
        self.f.loops.append(lp)
        # Locals declared before a label stay visible after it: all segments share one scope.
        for k, seg in enumerate(segments):
            self.emit(f"if _g{gid} <= {k}:")
            self.indent += 1
            self.seg_begin()
            for st in seg:
                self.line = st.line
                self.stmt(st)
                if type(st) is N.Local and "close" in st.attribs:
                    raise CompileError(f"{self.chunk.name}:{st.line}: luavm does not support a to-be-closed "
                                       "variable in a block that has goto labels")
            self.emit("pass")
            self.seg_end()
            self.indent -= 1
        self.emit("break")
        self.f.loops.pop()
        self.indent -= 1
        if lp.breaks_through:
            outer = self._break_flag_target()
            if outer is not None:
                self.emit(f"if {lp.flag}: {outer} = True; break")
            else:
                self.emit(f"if {lp.flag}: break")
        self.after_loop_exits(lp)

    def _break_flag_target(self) -> str | None:
        for lp in reversed(self.f.loops):
            if lp.kind == "lua":
                return None
            lp.breaks_through = True
            return lp.flag
        return None

    def after_loop_exits(self, lp: Loop) -> None:
        """After a Python loop that a goto left with ``break``: continue leaving or dispatch."""
        for flag in sorted(lp.exits):
            gid = int(flag[3:])
            target = self.f.loops[-1] if self.f.loops else None
            if target is not None and target.kind == "dispatch" and target.gid == gid:
                self.emit(f"if {flag}: {flag} = False; continue")
            else:
                if target is not None:
                    target.exits.add(flag)
                self.emit(f"if {flag}: break")

    def loop_body(self, body: tuple, header_cost: int, prelude: list[str] | None = None,
                  loopvars: list[Var] | None = None) -> Loop:
        lp = Loop("lua")
        self.f.loops.append(lp)
        self.indent += 1
        self.seg_begin()
        self.seg_add(header_cost)
        for line in prelude or ():
            self.emit(line)
        self.scope_open()
        self.declare_locals(loopvars or [])
        self.block_body(body)
        self.scope_close()
        self.emit("pass")
        self.seg_end()
        self.indent -= 1
        self.f.loops.pop()
        return lp

    def st_While(self, st: N.While) -> None:
        lp = Loop("lua")
        self.emit("while True:")
        self.f.loops.append(lp)
        self.indent += 1
        self.seg_begin()
        self.seg_add(loop_test_cost(st.cond, self._is_upvalue))
        self.emit(f"if not ({self.cond(st.cond)}): break")
        self.block_body(st.body)
        self.emit("pass")
        self.seg_end()
        self.indent -= 1
        self.f.loops.pop()
        self.after_loop_exits(lp)
        self.seg_restart()

    def st_Repeat(self, st: N.Repeat) -> None:
        lp = Loop("lua")
        # PUC has no instruction on a 'repeat' line: the loop starts at its first statement
        self.line = st.body[0].line if st.body else getattr(st.cond, "line", self.line)
        self.emit("while True:")
        self.f.loops.append(lp)
        self.indent += 1
        self.seg_begin()
        self.scope_open()  # the body's locals are visible in the condition
        if any(type(s) is N.Label for s in st.body):
            self.block_body(st.body)
        else:
            self.stmts_no_close(st.body)
        self.seg_add(loop_test_cost(st.cond, self._is_upvalue))
        self.line = getattr(st.cond, "line", self.line)
        self.emit(f"if {self.cond(st.cond)}: break")
        self.scope_close()
        self.seg_end()
        self.indent -= 1
        self.f.loops.pop()
        self.after_loop_exits(lp)
        self.seg_restart()

    def stmts_no_close(self, body: tuple) -> None:
        for st in body:
            self.line = st.line
            self.stmt(st)

    def st_If(self, st: N.If) -> None:
        self.seg_add(self.stmt_cost(st))
        # A condition after the first that needs statements of its own cannot be an `elif`:
        # the chain is cut into groups, each run `if` no branch was taken yet (a flag), so a
        # long `elseif` chain never nests deeper than two levels.
        start = len(self.out)
        flag = None
        group_indent = self.indent
        first = True
        for cond, body in st.tests:
            self.line = cond.line if hasattr(cond, "line") else st.line
            mark = len(self.out)
            base = self.indent
            c = self.cond(cond)
            if first:
                self.emit(f"if {c}:")
                first = False
            elif len(self.out) > mark:
                pre = self.out[mark:]
                del self.out[mark:]
                if flag is None:
                    flag = self.new_tmp()
                    self.out.insert(start, (group_indent, f"{flag} = False", self.line))
                self.emit("else:")  # of the chain so far: no branch taken
                self.emit(f"    {flag} = True")
                self.indent = group_indent
                self.emit(f"if {flag}:")
                self.indent = group_indent + 1
                self.emit(f"{flag} = False")
                for ind, text, ln in pre:
                    self.out.append((ind - base + self.indent, text, ln))
                self.emit(f"if {c}:")
            else:
                self.emit(f"elif {c}:")
            self.block(body)
        if st.orelse is not None and st.orelse:
            self.emit("else:")
            self.block(st.orelse)
        self.indent = group_indent
        self.seg_restart()

    def st_NumFor(self, st: N.NumFor) -> None:
        (v,) = self.r.decl[id(st)]
        self.seg_add(self.stmt_cost(st))
        a = self.operand(st.start, force=True)
        b = self.operand(st.stop, force=True)
        c = self.operand(st.step, force=True) if st.step is not None else None
        if (type(st.start) is N.Number and type(st.start.value) is int and type(st.stop) is N.Number
                and type(st.stop.value) is int and (c is None or (type(st.step) is N.Number and type(st.step.value) is int and st.step.value > 0))):
            step = st.step.value if st.step is not None else 1
            rng = f"range({a}, {b} + 1, {step})" if step != 1 else f"range({a}, {b} + 1)"
        else:
            rng = f"_forprep({a}, {b}, {c if c is not None else 'None'})"
        loopvar = f"_i{v.pyname}" if v.captured else v.pyname
        self.emit(f"for {loopvar} in {rng}:")
        prelude = [f"{v.pyname} = [{loopvar}]"] if v.captured else []
        lp = self.loop_body(st.body, NUMFOR_ITERATION_COST, prelude, [v])
        self.after_loop_exits(lp)
        self.seg_restart()

    def st_GenFor(self, st: N.GenFor) -> None:
        vs = self.r.decl[id(st)]
        self.seg_add(self.stmt_cost(st))
        closing = len(st.exprs) >= 4 or type(st.exprs[-1]) in (N.Call, N.MethodCall, N.Vararg)
        f, s, c, *rest = self.explist(st.exprs, 4 if closing else 3)
        f = self.hoist(f) if not _is_simple(f) else f
        s = self.hoist(s) if not _is_simple(s) else s
        if closing:  # Lua 5.4's fourth value: closed when the loop ends, however it ends
            cl = self.hoist(rest[0])
            self.emit(f"if {cl} is not None: _tbc_check({cl}, '(for state)')")
            flag = f"_cf{cl}"
            self.emit(f"{flag} = False")
            self.emit("try:")
            self.indent += 1
        n = len(vs)
        names = [(f"_i{v.pyname}" if v.captured else v.pyname) for v in vs]
        target = names[0] if n == 1 else ", ".join(names)
        saved_line = self.line
        if st.exprs and getattr(st.exprs[-1], "line", 0) > 0:
            self.line = st.exprs[-1].line  # PUC puts the iterator call on the explist's line
        if self.gen:
            self.gen_for_header(f, s, c, n, target)
        else:
            self.emit(f"for {target} in _genfor({f}, {s}, {c}, {n}):")
        self.line = saved_line
        prelude = [f"{v.pyname} = [{nm}]" for v, nm in zip(vs, names) if v.captured]
        self.f.closing_loops += closing
        lp = self.loop_body(st.body, GENFOR_ITERATION_COST, prelude, vs)
        self.f.closing_loops -= closing
        if closing:
            self.line = st.line  # closing the state belongs to the loop, not to its last statement
            self.indent -= 1
            self.emit("except BaseException as _e:")
            self.emit(f"    {flag} = True")
            self.emit(f"    raise {self.slow('_tbc_error', f'{cl}, _e')}")
            self.emit("finally:")
            self.emit(f"    if not {flag}: {self.slow('_tbc_ok', cl)}")
        self.after_loop_exits(lp)
        self.seg_restart()

    def gen_for_header(self, f: str, s: str, c: str, n: int, target: str) -> None:
        """A generic ``for`` in a generator twin: the iterator is called with ``yield from``
        (it may yield the coroutine); plain ``pairs``/``ipairs`` still run natively."""
        ctl = self.hoist(c)
        it = self.hoist(f"_gfor({f}, {s}, {ctl}, {n})")
        step = self.new_tmp()
        self.emit("while True:")
        self.indent += 1
        self.emit(f"if {it} is not None:")
        self.emit(f"    if ({step} := next({it}, None)) is None: break")
        self.emit("else:")
        self.emit(f"    if ({step} := (yield from _gstep({f}, {s}, {ctl}, {n}))) is None: break")
        self.emit(f"    {ctl} = {step}" if n == 1 else f"    {ctl} = {step}[0]")
        self.emit(f"{target} = {step}")
        self.indent -= 1

    # ------------------------------------------------------------------ expressions

    def describe(self, e: object) -> str | None:
        """How Lua's messages name the value of ``e`` (``varinfo`` in ldebug.c)."""
        while type(e) is N.Paren:
            e = e.expr
        t = type(e)
        if t is N.Name and self.strip:  # no debug information: no local names, no _ENV name
            return f"field '{e.name}'" if self.r.ref.get(id(e)) is None and e.name != "_ENV" else None
        if t is N.Name:
            v = self.r.ref.get(id(e))
            if v is None:
                return f"global '{e.name}'"
            return self.var_desc(v)
        if t is N.Index:
            if type(e.key) is N.String:
                ob = e.obj
                while type(ob) is N.Paren:
                    ob = ob.expr
                if type(ob) is N.Name and ob.name == "_ENV" and not self.strip:  # isEnv in ldebug.c: _ENV.x is global x
                    return f"global '{e.key.value.decode('latin-1')}'"
                return f"field '{e.key.value.decode('latin-1')}'"
            if type(e.key) is N.Number and type(e.key.value) is int:
                return "field 'integer index'"
            return "field '?'"
        if t is N.String:
            return f"constant '{e.value.decode('latin-1')}'"
        return None

    def operand(self, e: object, force: bool = False) -> str:
        """Compile ``e`` to a simple expression (a name or constant), hoisting if needed."""
        code = self.expr1(e)
        if _is_simple(code) and not (force and not _is_const(code) and not _is_simple_name(code)):
            return code
        return self.hoist(code)

    def object_operand(self, e: object, force: bool = False) -> str:
        """``operand`` for the object of ``o.k`` / ``o:m()``: a number literal goes through a
        temporary, as ``10.get(k)`` would not even parse as Python."""
        code = self.operand(e, force)
        return self.hoist(code) if _const_kind(code) else code

    def expr1(self, e: object) -> str:
        """Compile ``e`` for exactly one value.

        Every ``EXPR_HOIST`` levels of nesting the code goes through a temporary, so the Python
        text never nests deeper than CPython accepts (200 parentheses)."""
        self.edepth += 1
        try:
            code = self._expr1(e)
        finally:
            self.edepth -= 1
        if self.edepth % EXPR_HOIST == EXPR_HOIST - 1 and not _is_simple(code):
            code = self.hoist(code)
        return code

    def _expr1(self, e: object) -> str:
        t = type(e)
        if t is N.Call or t is N.MethodCall:
            return f"({self.call_tuple(e)} or N1)[0]"
        if t is N.Vararg:
            return "(VA[0] if VA else None)"
        if t is N.Paren:
            return self.expr1(e.expr)
        if (t is N.BinOp and e.op != "and" and e.op != "or") or t is N.UnOp or t is N.Index:
            # An operation on a later line than its statement gets a Python line of its own,
            # so its errors name that line, as PUC's per-instruction line info does.
            ln = e.key.line if t is N.Index and type(e.key) is N.String else e.line
            if ln != self.line and ln > 0:
                saved = self.line
                self.line = ln
                try:
                    code = getattr(self, "ex_" + t.__name__)(e)
                    return code if _is_simple(code) else self.hoist(code)
                finally:
                    self.line = saved
        return getattr(self, "ex_" + t.__name__)(e)

    def exptuple(self, exprs: tuple) -> str:
        """A Python tuple expression of all values of an expression list (last one expanded)."""
        if not exprs:
            return "()"
        parts = [self.operand(x, force=True) if i < len(exprs) - 1 and not _is_pure(x) else None
                 for i, x in enumerate(exprs[:-1])]
        parts = [p if p is not None else self.expr1(x) for p, x in zip(parts, exprs[:-1])]
        last = exprs[-1]
        if type(last) in (N.Call, N.MethodCall):
            tail = f"*{self.call_tuple(last)}"
        elif type(last) is N.Vararg:
            tail = "*VA"
        else:
            tail = self.expr1(last)
            return "(" + ", ".join(parts + [tail]) + ",)"
        if not parts:
            return tail[1:] if tail == "*VA" else tail[1:]
        return "(" + ", ".join(parts + [tail]) + ")"

    def explist(self, exprs: tuple, n: int) -> list[str]:
        """Exactly ``n`` single-value expressions from an expression list (Lua adjustment)."""
        if not exprs:
            return ["None"] * n
        multi = type(exprs[-1]) in (N.Call, N.MethodCall, N.Vararg)
        if not multi or len(exprs) > n:
            vals = []
            for i, x in enumerate(exprs):
                if i < n:
                    if i < len(exprs) - 1 and len(exprs) > 1 and not _is_pure(x):
                        vals.append(self.operand(x, force=True))
                    else:
                        vals.append(self.expr1(x))
                else:
                    # extra expressions are still evaluated (for their side effects)
                    code = self.call_raw(x) if type(x) in (N.Call, N.MethodCall) else self.expr1(x)
                    if type(x) in (N.Call, N.MethodCall):
                        self.emit(f"if type(_r := {code}) is list: {self.slow('_tramp', '_r')}")
                    elif not _is_simple(code):
                        self.emit(code)
            return vals + ["None"] * (n - len(vals))
        vals = [self.operand(x, force=True) if not _is_pure(x) else self.expr1(x) for x in exprs[:-1]]
        need = n - len(vals)
        last = exprs[-1]
        if need == 1:
            return vals + [self.expr1(last)]
        src = "VA" if type(last) is N.Vararg else self.call_tuple(last)
        m = self.hoist(src)
        self.emit(f"if len({m}) < {need}: {m} = {m} + (None,) * {need}")
        return vals + [f"{m}[{i}]" for i in range(need)]

    def ex_Nil(self, e: N.Nil) -> str:
        return "None"

    def ex_TrueLit(self, e) -> str:
        return "True"

    def ex_FalseLit(self, e) -> str:
        return "False"

    def ex_Number(self, e: N.Number) -> str:
        v = e.value
        if type(v) is float:
            if v != v:
                return "_NAN"
            if v in (float("inf"), float("-inf")):
                return "_INF" if v > 0 else "(-_INF)"
            return repr(v) if v >= 0 else f"({v!r})"
        return repr(v) if v >= 0 else f"({v!r})"

    def ex_String(self, e: N.String) -> str:
        return repr(e.value)

    def ex_Vararg(self, e) -> str:
        return "(VA[0] if VA else None)"

    def ex_Name(self, e: N.Name) -> str:
        v = self.r.ref.get(id(e))
        if v is not None:
            return self.var_read(v)
        if e.name == "_ENV":
            return "ENV[0]" if self.r.env_assigned else "ENV"
        env = self.global_env(e)
        key = repr(e.name.encode())
        envvar = self.r.envref.get(id(e))
        desc = self.var_desc(envvar).replace(envvar.name, "_ENV") if envvar is not None else "upvalue '_ENV'"
        if self.env_is_table and env == "ENV":
            return f"(_v if (_v := ENV.get({key})) is not None else {self.slow('_idx', f'ENV, {key}, {desc!r}')})"
        return f"(_v if type({env}) is LT and (_v := {env}.get({key})) is not None else {self.slow('_idx', f'{env}, {key}, {desc!r}')})"

    def ex_Index(self, e: N.Index) -> str:
        obj = self.object_operand(e.obj)
        key = self.operand(e.key)
        desc = self.describe(e.obj)
        if _const_kind(obj) is not None or obj[:2] in ("b'", 'b"') or obj in ("True", "False", "None"):
            return f"_idx({obj}, {key}, {desc!r})"  # a literal is never a table (and `10.get` is no Python)
        if type(e.key) is N.String or (type(e.key) is N.Number and type(e.key.value) is int) \
                or self.etype(e.key) == INT:
            return f"(_v if type({obj}) is LT and (_v := {obj}.get({key})) is not None else {self.slow('_idx', f'{obj}, {key}, {desc!r}')})"
        return (f"(_v if type({obj}) is LT and type({key}) is not bool and (_v := {obj}.get({key})) is not None "
                f"else {self.slow('_idx', f'{obj}, {key}, {desc!r}')})")

    def ex_Paren(self, e: N.Paren) -> str:
        return self.expr1(e.expr)

    def ex_Function(self, e: N.Function) -> str:
        return self.closure(e, f"function <{self.chunk.name}:{e.line}>")

    def ex_Table(self, e: N.Table) -> str:
        if not e.fields:
            return "_tnew()"
        arr: list[str] = []
        keys: list[str] = []
        vals: list[str] = []
        tail = None
        last = len(e.fields) - 1
        for i, fld in enumerate(e.fields):
            if fld.key is None:
                if i == last and type(fld.value) in (N.Call, N.MethodCall, N.Vararg):
                    tail = "VA" if type(fld.value) is N.Vararg else self.call_tuple(fld.value)
                else:
                    arr.append(self.operand(fld.value, force=i < last))
            else:
                keys.append(self.operand(fld.key, force=True))
                vals.append(self.operand(fld.value, force=i < last))
        arr_code = "(" + "".join(a + ", " for a in arr) + ")"
        if tail is not None:
            arr_code = f"({''.join(a + ', ' for a in arr)}*{tail},)"
        if not keys:
            return f"_tarr({arr_code})"
        if not arr and tail is None and all(type(f.key) is N.String for f in e.fields) \
                and len({f.key.value for f in e.fields}) == len(e.fields):
            return f"_tconst(({''.join(k + ', ' for k in keys)}), ({''.join(v + ', ' for v in vals)}))"
        return f"_tmix({arr_code}, ({''.join(k + ', ' for k in keys)}), ({''.join(v + ', ' for v in vals)}))"

    def ex_UnOp(self, e: N.UnOp) -> str:
        op = e.op
        if op == "not":
            return f"(not {self.cond(e.operand)})"
        a = self.operand(e.operand)
        desc = self.describe(e.operand)
        if op == "-":
            if type(e.operand) is N.Number:
                v = e.operand.value
                return self.ex_Number(N.Number(e.line, -v if type(v) is float else _wrap(-v)))
            return f"(-{a} if type({a}) is float else _r if type({a}) is int and (_r := -{a}) != {-MIN} else {self.slow('_unm', f'{a}, {desc!r}')})"
        if op == "#":
            slow = self.slow('_len', f'{a}, {desc!r}')
            if _const_kind(a) is not None or a[:2] in ("b'", 'b"') or a in ("True", "False", "None"):
                return f"(len({a}) if type({a}) is bytes else {slow})"  # (no `10.meta` in Python)
            # a table without metatable whose border hint still holds (t[n] set, t[n+1] nil):
            # the answer rawlen would give, without the call; anything else asks rawlen
            return (f"(len({a}) if type({a}) is bytes else _v if type({a}) is LT and {a}.meta is None "
                    f"and (_v := {a}.border) in {a} and _v + 1 not in {a} else {slow})")
        if op == "~":
            return self.slow("_bnot", f"{a}, {desc!r}")
        raise CompileError(op)

    def ex_BinOp(self, e: N.BinOp) -> str:
        op = e.op
        if op == "and" or op == "or":
            return self.logical(e)
        if op == "..":
            return self.concat_chain(e)
        # Left-deep chains (a + b + c + ...) are compiled iteratively to keep recursion shallow.
        chain = []
        node = e
        while type(node) is N.BinOp and node.op not in ("and", "or", "..") and type(node.left) is N.BinOp \
                and node.left.op not in ("and", "or", ".."):
            chain.append(node)
            node = node.left
        if chain:
            acc = self.binop_code(node.op, node.left, node.right, None)
            acc_t = self.etype(node)
            for n in reversed(chain):
                if n.line != self.line and n.line > 0 and n is not e:  # see expr1: its own line
                    saved, self.line = self.line, n.line
                    acc = self.binop_code(n.op, None, n.right, self.hoist(acc) if not _is_simple(acc) else acc, n, acc_t)
                    acc = self.hoist(acc)
                    self.line = saved
                    acc_t = arith_type(n.op, acc_t, self.etype(n.right)) or ANY
                    continue
                acc = self.binop_code(n.op, None, n.right, self.hoist(acc) if not _is_simple(acc) else acc, n, acc_t)
                acc_t = arith_type(n.op, acc_t, self.etype(n.right)) or ANY
            return acc
        return self.binop_code(op, e.left, e.right, None)

    def binop_code(self, op: str, left, right, left_code: str | None, node=None, left_type: str = ANY) -> str:
        if left_code is None:
            a = self.operand(left)
            da = self.describe(left)
            ta = self.etype(left)
        else:
            a = left_code
            da = None
            ta = left_type
        mark = len(self.out)
        b = self.operand(right)
        if len(self.out) > mark and a.endswith("[0]"):
            # the right operand runs code that might change this upvalue: read it first
            t = self.new_tmp()
            self.out.insert(mark, (self.indent, f"{t} = {a}", self.line))
            a = t
        db = self.describe(right)
        tb = self.etype(right)
        ka, kb = _const_kind(a), _const_kind(b)
        slow = self.slow("_arith", f"{op!r}, {a}, {b}, {da!r}, {db!r}")
        typed = self.typed_binop(op, a, b, ta, tb, ka, kb, slow)
        if typed is not None:
            return typed
        if op in _ARITH:
            pyop = _ARITH[op]
            if ka and kb:
                return slow  # both constant: rare (the parser leaves folding to us); keep it exact
            if kb or ka:
                x, kind, c = (a, kb, b) if kb else (b, ka, a)
                expr = f"{a} {pyop} {b}"
                if kind == "float":
                    return f"({expr} if type({x}) is float or type({x}) is int else {slow})"
                cv = int(c.strip("()"))
                if op == "*":
                    bound = f"{MIN} <= (_r := {expr}) <= {MAX}"
                elif (op == "+" and cv >= 0) or (op == "-" and kb and cv <= 0):
                    bound = f"(_r := {expr}) <= {MAX}"
                elif op == "-" and ka:
                    bound = f"{MIN} <= (_r := {expr}) <= {MAX}"
                else:
                    bound = f"(_r := {expr}) >= {MIN}"
                return f"(_r if type({x}) is int and {bound} else {expr} if type({x}) is float else {slow})"
            fl = f"{a} {pyop} {b}"
            if a == b:  # x * x: one operand, one type to ask
                return (f"(_r if type({a}) is int and {MIN} <= (_r := {fl}) <= {MAX} "
                        f"else {fl} if type({a}) is float else {slow})")
            # type(a) asked once (_ta): a float operation saves a call, an int one costs a store.
            # Both operands are simple (operand()): nothing between the walrus and the read
            # can reassign _ta
            return (f"(_r if (_ta := type({a})) is int and type({b}) is int and {MIN} <= (_r := {fl}) <= {MAX} "
                    f"else {fl} if _ta is float and type({b}) is float else {slow})")
        if op == "/":
            return (f"({a} / {b} if type({a}) is float and type({b}) is float and {b} else "
                    f"{slow})")
        if op == "%":
            return (f"({a} % {b} if type({a}) is int and type({b}) is int and {b} else "
                    f"{slow})")
        if op == "//":
            return (f"({a} // {b} if type({a}) is int and type({b}) is int and {b} and {b} != -1 else "
                    f"{slow})")
        if op in ("^", "&", "|", "~", "<<", ">>"):
            if op in ("&", "|"):
                return f"({a} {op} {b} if type({a}) is int and type({b}) is int else {slow})"
            return slow
        if op in ("==", "~="):
            eq = self.eq_code(a, b, left, right)
            return eq if op == "==" else f"(not {eq})"
        if op in _CMP:
            x, y = (a, b) if op in ("<", "<=") else (b, a)
            pyop = "<" if op in ("<", ">") else "<="
            fn = _CMP[op]
            kx, ky = _const_kind(x), _const_kind(y)
            if kx in ("int", "float") or ky in ("int", "float"):
                v = y if kx else x
                if not (kx and ky):
                    return f"({x} {pyop} {y} if type({v}) is int or type({v}) is float else {self.slow('_' + fn, f'{x}, {y}')})"
            return (f"({x} {pyop} {y} if (type({x}) is int or type({x}) is float) and (type({y}) is int or type({y}) is float) "
                    f"else {self.slow('_' + fn, f'{x}, {y}')})")
        raise CompileError(op)

    def typed_binop(self, op: str, a: str, b: str, ta: str, tb: str, ka, kb, slow: str) -> str | None:
        """Code for ``a op b`` when static types make checks unnecessary, else None."""
        if ta not in NUMERIC or tb not in NUMERIC:
            return None
        if op in ("==", "~="):
            return f"({a} {'==' if op == '==' else '!='} {b})"
        if op in ("<", "<=", ">", ">="):
            return f"({a} {op} {b})"
        if ta == INT and tb == INT:
            if op in _ARITH:
                expr = f"{a} {_ARITH[op]} {b}"
                cv = int(b.strip("()")) if kb == "int" else int(a.strip("()")) if ka == "int" else None
                if cv is not None and op != "*":
                    up = (op == "+" and cv >= 0) or (op == "-" and kb == "int" and cv <= 0)
                    if op == "-" and ka == "int":
                        return f"(_r if {MIN} <= (_r := {expr}) <= {MAX} else _wrap(_r))"
                    check = f"(_r := {expr}) <= {MAX}" if up else f"(_r := {expr}) >= {MIN}"
                    return f"(_r if {check} else _wrap(_r))"
                return f"(_r if {MIN} <= (_r := {expr}) <= {MAX} else _wrap(_r))"
            if op == "%":
                if kb == "int" and int(b.strip("()")) != 0:
                    return f"({a} % {b})"
                return f"({a} % {b} if {b} else {slow})"
            if op == "//":
                if kb == "int" and int(b.strip("()")) not in (0, -1):
                    return f"({a} // {b})"
                return f"({a} // {b} if {b} > 0 else {slow})"
            if op == "/":
                return f"(float({a}) / {b} if {b} else {slow})"
            if op in ("&", "|"):
                return f"({a} {op} {b})"
            if op == "~":
                return f"({a} ^ {b})"
            return None
        if (ta == FLT or tb == FLT) and op in _ARITH:
            return f"({a} {_ARITH[op]} {b})"
        if ta == FLT and op == "/":
            return f"({a} / {b} if {b} else {slow})"
        return None

    def eq_code(self, a: str, b: str, left, right) -> str:
        for x, node in ((a, left), (b, right)):
            other = b if x is a else a
            if node is not None and type(node) is N.String:
                return f"({other} == {x})"
            if node is not None and type(node) is N.Nil:
                return f"({other} is None)"
            if node is not None and type(node) in (N.TrueLit, N.FalseLit):
                return f"({other} is {x})"
            if node is not None and type(node) is N.Number and node.value == node.value:
                if node.value in (0, 1):
                    return f"({other} == {x} and type({other}) is not bool)"
                return f"({other} == {x})"
        return f"({a} == {b} if (_ta := type({a})) is type({b}) and _ta is not LT else {self.slow('_eq', f'{a}, {b}')})"

    def concat_chain(self, e: N.BinOp) -> str:
        parts = []
        node = e
        while type(node) is N.BinOp and node.op == "..":
            parts.append(node.left)
            node = node.right
        parts.append(node)
        codes = [self.operand(p, force=True) for p in parts]
        descs = tuple(self.describe(p) for p in parts)
        if len(codes) == 2:
            a, b = codes
            if a[:2] in ("b'", 'b"') and b[:2] in ("b'", 'b"'):
                # Two literals: Python would fold `b'x' + b'y'` into a constant shared with an
                # equal literal, but a Lua concatenation builds a new (long) string each time.
                return self.slow("_concat", f"{a}, {b}, {descs[0]!r}, {descs[1]!r}")
            return f"({a} + {b} if type({a}) is bytes and type({b}) is bytes and len({a}) + len({b}) < 64 else {self.slow('_concat', f'{a}, {b}, {descs[0]!r}, {descs[1]!r}')})"
        return self.slow("_concat_n", f"[{', '.join(codes)}], {descs!r}")

    def logical(self, e: N.BinOp) -> str:
        # Left-deep chains (a and b and c ...) are folded iteratively: 50,000 terms must not
        # recurse 50,000 times.
        chain = []
        node = e
        while type(node) is N.BinOp and node.op in ("and", "or"):
            chain.append(node)
            node = node.left
        acc = self.operand(node, force=True)
        for n in reversed(chain):
            if not (_is_const(acc) or _is_simple_name(acc)):
                acc = self.hoist(acc)
            acc = self.logical_step(n, acc)
        return acc

    def logical_step(self, e: N.BinOp, a: str) -> str:
        """``a and/or e.right``, ``a`` being the left operand's simple code."""
        mark = len(self.out)
        b = self.expr1(e.right)
        if len(self.out) == mark:
            if e.op == "and":
                return f"({b} if {a} is not None and {a} is not False else {a})"
            return f"({a} if {a} is not None and {a} is not False else {b})"
        pre = self.out[mark:]
        del self.out[mark:]
        t = self.new_tmp()
        self.emit(f"{t} = {a}")
        test = f"{t} is not None and {t} is not False"
        self.emit(f"if {test}:" if e.op == "and" else f"if not ({test}):")
        for ind, text, ln in pre:
            self.out.append((ind + 1, text, ln))
        self.emit(f"    {t} = {b}")
        return t

    def cond(self, e: object) -> str:
        """Compile ``e`` as a Python truth value (only its truth matters)."""
        t = type(e)
        if t is N.BinOp and e.op in ("==", "~=", "<", "<=", ">", ">="):
            return self.ex_BinOp(e)
        if t is N.UnOp and e.op == "not":
            return f"(not {self.cond(e.operand)})"
        if t is N.TrueLit:
            return "True"
        if t in (N.FalseLit, N.Nil):
            return "False"
        if t is N.BinOp and e.op in ("and", "or"):
            a = self.cond(e.left)
            mark = len(self.out)
            b = self.cond(e.right)
            if len(self.out) == mark:
                return f"({a} {e.op} {b})"
            pre = self.out[mark:]
            del self.out[mark:]
            tmp = self.new_tmp()
            self.emit(f"{tmp} = {a}")
            self.emit(f"if {'' if e.op == 'and' else 'not '}{tmp}:")
            for ind, text, ln in pre:
                self.out.append((ind + 1, text, ln))
            self.emit(f"    {tmp} = {b}")
            return tmp
        code = self.operand(e)
        if _is_const(code):
            return "False" if code in ("False", "None") else "True"
        return f"({code} is not None and {code} is not False)"

    # ------------------------------------------------------------------ calls

    def call_parts(self, e: N.Call | N.MethodCall) -> tuple[str, str, str | None]:
        """(function expression, argument list text, description) for a call."""
        if type(e) is N.MethodCall:
            obj = self.object_operand(e.obj, force=True)
            key = repr(e.name.encode())
            desc_obj = self.describe(e.obj)
            fn = self.hoist(f"(_v if type({obj}) is LT and (_v := {obj}.get({key})) is not None else {self.slow('_idx', f'{obj}, {key}, {desc_obj!r}')})")
            args = self.arglist(e.args, prefix=[obj])
            return fn, args, f"method '{e.name}'"
        fn = self.operand(e.func, force=not _is_simple_name_expr(e.func, self))
        args = self.arglist(e.args)
        return fn, args, self.describe(e.func)

    def arglist(self, args: tuple, prefix: list[str] | None = None) -> str:
        parts = list(prefix or [])
        for i, a in enumerate(args):
            last = i == len(args) - 1
            if last and type(a) in (N.Call, N.MethodCall):
                parts.append("*" + self.call_tuple(a))
            elif last and type(a) is N.Vararg:
                parts.append("*VA")
            elif last or _is_pure(a):
                parts.append(self.expr1(a))
            else:
                parts.append(self.operand(a, force=True))
        return ", ".join(parts)

    def call_raw(self, e: N.Call | N.MethodCall) -> str:
        code = self._call_raw(e)
        if e.line > 0 and e.line != self.line:
            # a call on another line than its statement's (PUC: the call's own line for
            # currentline): a marker compile() removes, recording the call's column and line
            code = f"{CALL_LINE_MARK}{e.line}{CALL_LINE_MARK}{code}"
        return code

    def _call_raw(self, e: N.Call | N.MethodCall) -> str:
        fn, args, desc = self.call_parts(e)
        nargs = len(e.args) + (type(e) is N.MethodCall)
        expanded = bool(e.args) and type(e.args[-1]) in (N.Call, N.MethodCall, N.Vararg)
        if self.gen and _looks_like_yield(e):
            # likely coroutine.yield: when it is, yield the values here, one generator less
            a = self.hoist(f"({args},)" if args else "()")
            return f"((yield {a}) if {fn} is _YIELD else (yield from _gcallx({fn}, {desc!r}, {a})))"
        if nargs > SPARE_PARAMS or expanded:
            return self.slow("_callx", f"{fn}, {desc!r}, ({args},)")
        if self.gen:
            return f"(yield from _gf({fn}, {desc!r})({args}))"
        return f"({fn} if type({fn}) is FT else _cof({fn}, {desc!r}))({args})"

    def call_tuple(self, e: N.Call | N.MethodCall) -> str:
        """A call expression evaluating to the tuple of its results."""
        self.edepth += 1
        try:
            code = self._call_tuple(e)
        finally:
            self.edepth -= 1
        if self.edepth % EXPR_HOIST == EXPR_HOIST - 1 and not _is_simple(code):
            code = self.hoist(code)  # as in expr1: `f(f(f(...)))` must not nest 200 parentheses
        return code

    def _call_tuple(self, e: N.Call | N.MethodCall) -> str:
        raw = self.call_raw(e)
        code = f"(_r if type(_r := {raw}) is tuple else {self.slow('_tramp', '_r')})"
        if type(e) is N.MethodCall:
            # on a line of its own, marked, so a builtin's "bad argument" can tell it was
            # called as a method (PUC then numbers arguments from self: 'calling on bad self')
            t = self.new_tmp()
            self.emit(f"{t} = {code}{METHOD_MARK}")
            return t
        return code


def _looks_like_yield(e: N.Call | N.MethodCall) -> bool:
    """``coroutine.yield(...)`` or a call of a name with 'yield' in it (a guess, checked at run time)."""
    f = e.func if type(e) is N.Call else None
    if type(f) is N.Index:
        return type(f.key) is N.String and f.key.value == b"yield" and type(f.obj) is N.Name and f.obj.name == "coroutine"
    return type(f) is N.Name and "yield" in f.name.lower()


def _const_kind(code: str) -> str | None:
    """'int' or 'float' when ``code`` is a numeric literal the compiler wrote, else None."""
    c = code[1:-1] if code.startswith("(-") else code
    if c[:1] == "-":
        c = c[1:]
    if c.isdigit():
        return "int"
    if c in ("_INF", "_NAN", "-_INF") or (c[:1].isdigit() and all(ch in "0123456789.e+-" for ch in c)):
        return "float"
    return None


def _last_line(chunk: N.Chunk) -> int:
    """The line of the chunk's last token (PUC's final return is there, not at end of file),
    as far as the nodes of its last statement tell it."""
    if not chunk.body:
        return chunk.end_line
    best = 0
    stack: list = [chunk.body[-1]]
    while stack:
        node = stack.pop()
        if type(node) in (tuple, list):
            stack.extend(node)
            continue
        fields = getattr(node, "__match_args__", None)  # a node's fields (nodes.node)
        if fields is None:
            continue
        for name in fields:
            v = getattr(node, name)
            if name in ("line", "end_line") and type(v) is int:
                best = max(best, v)
            elif type(v) in (tuple, list) or hasattr(v, "__match_args__"):
                stack.append(v)
    return min(best, chunk.end_line) if best else chunk.end_line


def _dotted(e: object) -> str:
    if type(e) is N.Name:
        return e.name
    if type(e) is N.Index and type(e.key) is N.String:
        return _dotted(e.obj) + "." + e.key.value.decode("latin-1")
    return "?"


def _is_const(code: str) -> bool:
    return code in ("None", "True", "False", "_NAN", "_INF", "(-_INF)") or code[:1].isdigit() or \
        code[:2] in ("b'", 'b"') and code.count("'") + code.count('"') <= 2 or \
        (code.startswith("(-") and code[2:3].isdigit() and code.endswith(")") and " " not in code)


def _is_simple_name(code: str) -> bool:
    return code.isidentifier() or (code.endswith("[0]") and code[:-3].isidentifier())


def _is_simple(code: str) -> bool:
    """Safe to evaluate more than once with no side effects and no cost: a local or a constant."""
    return _is_simple_name(code) or _is_const(code)


def _is_pure(e: object) -> bool:
    return type(e) in (N.Nil, N.TrueLit, N.FalseLit, N.Number, N.String)


def _is_simple_name_expr(e: object, gen: CodeGen) -> bool:
    return type(e) is N.Name and gen.r.ref.get(id(e)) is not None


# ====================================================================== driver


def _protos(gen: CodeGen) -> dict[str, FuncProto]:
    """What debug.getinfo/getlocal/getupvalue need per function, markers resolved to lines."""
    ml = gen.mark_lines
    out = {}
    for pyname, (luaname, first, last, nparams, vararg, ups, locs, body, end) in gen.protos.items():
        # parameters are active from the call on (a call hook sees them), the others from their statement
        lv = tuple(LocalInfo(v.name, v.pyname, v.captured, 0 if i < nparams else ml[s], ml[e] if e else ml[end],
                             v.vtype) for i, (v, s, e) in enumerate(locs))
        out[pyname] = FuncProto(luaname, first, last, nparams, vararg, tuple(ups), lv, ml[body], ml[end],
                                gen.r.env_assigned)
    return out


MAXUPVAL = 255  # lparser.c: upvalues of one function


def _check_upvalue_limit(chunk: N.Chunk, resolver: Resolver) -> None:
    """PUC's ``too many upvalues (limit is 255)``: a function's upvalues (``_ENV`` included)
    are what it and the functions inside it use from outside it (FuncInfo.uporder)."""
    from luavm.errors import LuaSyntaxError

    for info in resolver.funcs.values():
        if len(info.uporder) > MAXUPVAL and info.node is not None:
            line = info.node.line
            raise LuaSyntaxError(f"{chunk.name}:{line}: too many upvalues (limit is {MAXUPVAL}) in "
                                 f"function at line {line}".encode("utf-8", "surrogateescape"))


def compile_chunk(chunk: N.Chunk, env_is_table: bool = True, source_name: str | None = None, *,
                  strip: bool = False, cid: int | None = None,
                  twins_of: int | None = None) -> CompiledChunk:
    """Compile ``chunk``; with ``twins_of`` (the cid of its plain compilation), only the
    generator twins of its functions, in a module of their own. ``source_name``: the name as
    given to load ('@x.lua'), debug.getinfo's source. ``strip``: messages name no variables, as
    PUC's for a chunk dumped without debug info. ``cid``: the chunk id in the generated names
    (diskcache.chunk_id of a chunk cached on disk), else the next of the process's counter."""
    from luavm.callstack import CHUNKS

    resolver = Resolver()
    main = resolver.resolve_chunk(chunk)
    _check_upvalue_limit(chunk, resolver)
    if twins_of is not None:
        cid = twins_of
    elif cid is None:
        cid = next(_chunk_ids)
    gen = CodeGen(chunk, resolver, main, env_is_table, cid, twins=twins_of is not None)
    gen.strip = strip
    try:
        text, functions = gen.compile()
    except CompileError as e:
        from luavm.errors import LuaSyntaxError

        raise LuaSyntaxError(str(e)) from None
    # Only for Python's tracebacks; compile() refuses a NUL, which a Lua chunk name may hold.
    filename = f"<luavm:{cid}:{chunk.name}>" if twins_of is None else f"<luavm:{cid}co:{chunk.name}>"
    filename = filename.replace("\0", "\\0")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # e.g. `1 is not None` folds to a constant
            code = compile(text, filename, "exec")
    except (SyntaxError, RecursionError, MemoryError, ValueError, OverflowError) as e:
        # CPython refused code PUC would load (a nesting or size limit of CPython's compiler
        # that outlining and temporaries did not avoid): Lua's message for a too complex chunk.
        from luavm.errors import LuaSyntaxError

        pyline = getattr(e, "lineno", None) or 0
        line = gen.linemap[pyline] if 0 < pyline < len(gen.linemap) else chunk.end_line
        raise LuaSyntaxError(f"{chunk.name}:{line}: function or expression too complex".encode(
            "utf-8", "surrogateescape")) from None
    info = CHUNKS[filename] = ChunkInfo(chunk.name, gen.linemap, functions, gen.method_lines,
                                        _protos(gen), source_name or chunk.name, gen.call_lines,
                                        gen.env_is_table, gen.call_line_cols)
    return CompiledChunk(chunk.name, text, code, filename, f"_mk{cid}f0", resolver.env_assigned, cid,
                         info=info)
