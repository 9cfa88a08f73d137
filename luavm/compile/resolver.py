"""Name resolution, the compiler's first pass: Lua AST -> scopes.

``Resolver`` binds every name to a local (``Var``), an upvalue or a global, finds which locals
inner functions capture (those become cells in the generated code), collects each function's
upvalues in PUC's order (``FuncInfo``), and decides which deeply nested statements are
compiled as functions of their own (``Region``). codegen.py writes Python from what it found;
dump.py reuses it for string.dump's upvalue order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from luavm.compile import nodes as N


@dataclass(eq=False)
class Var:
    """One declared Lua local (or parameter)."""

    name: str
    pyname: str
    func: FuncInfo
    attrib: str = ""
    captured: bool = False
    vtype: str = "any"  # static number type (typeinfer.py) when never captured
    region: int = 0  # how many outlined regions were open where it was declared


@dataclass(eq=False)
class FuncInfo:
    node: N.Function | None  # None for the main chunk
    parent: FuncInfo | None
    index: int
    upvals: list[Var] = field(default_factory=list)  # outer vars this function (or its children) uses
    has_tbc: bool = False
    # upvalues in PUC's order of first use (debug.getupvalue numbers them so); "ENV" is the chunk's _ENV
    uporder: list = field(default_factory=list)

    def use_upval(self, var: Var) -> None:
        f = self
        while f is not None and f is not var.func:
            if var not in f.upvals:
                f.upvals.append(var)
                f.uporder.append(var)
            f = f.parent

    def use_env(self) -> None:
        """A free name reads the chunk's _ENV: an upvalue of this function and its enclosing ones."""
        f = self
        while f is not None and f.parent is not None and "ENV" not in f.uporder:
            f.uporder.append("ENV")
            f = f.parent


@dataclass(eq=False)
class Region:
    """A compound statement compiled as a Python function of its own ("outlined").

    CPython refuses more than 20 nested loops/try blocks per function and 100 indentation
    levels per file, while PUC nests up to ~200 levels. When a statement would pass
    ``OUTLINE_INDENT``/``OUTLINE_BLOCKS`` levels of its Python function, it becomes a
    module-level function ``_o<chunk>r<k>(ENV, [VA,] cells...)``: the enclosing function's
    locals it uses become cells (captured), passed as arguments. Only statements no
    ``break``/``goto`` leaves are outlined, so the only ways out are falling through (the
    function returns None) and a Lua ``return`` (it returns the result tuple or tail call).
    """

    node: object
    func: FuncInfo
    index: int
    vars: dict[Var, None] = field(default_factory=dict)  # outer locals used inside, in order
    has_return: bool = False


# Python nesting a statement adds around its body: (indentation levels, CPython blocks).
# A try/except/finally (to-be-closed variables, a generic for's closing value) is 2 blocks.
_NEST = {N.Do: (1, 0), N.While: (1, 1), N.Repeat: (1, 1), N.NumFor: (1, 1), N.GenFor: (2, 3),
         N.If: (2, 0)}
OUTLINE_INDENT = 40  # outline a statement that would nest deeper (hard limit: 100)
OUTLINE_BLOCKS = 10  # ... or that would open more loops/try blocks (hard limit: 20)


class Resolver:
    """Pass 1: bind names to variables; mark captured locals; collect each function's upvalues.

    It also decides which statements are outlined (see ``Region``), tracking how deep the
    Python code of the current function (or region) nests."""

    def __init__(self) -> None:
        self.ref: dict[int, Var | None] = {}  # id(Name node) -> Var (None: global)
        self.envref: dict[int, Var] = {}  # id(global Name node) -> the local _ENV in scope, if any
        self.decl: dict[int, list[Var]] = {}  # id(declaring node) -> its new Vars
        self.funcs: dict[int, FuncInfo] = {}  # id(Function node) -> FuncInfo
        self.env_assigned = False
        self.regions: dict[int, Region] = {}  # id(statement) -> its Region, if outlined
        self._scopes: list[dict[str, Var]] = []
        self._func: FuncInfo | None = None
        self._counter = itertools.count()
        self._open: list[Region] = []  # regions being resolved, outermost first
        self._indent = 0  # Python indentation levels open in the current function/region
        self._blocks = 0  # CPython blocks (loops, try) open in the current function/region

    def resolve_chunk(self, chunk: N.Chunk) -> FuncInfo:
        main = FuncInfo(None, None, 0)
        self._func = main
        self._scopes = [{}]
        self.block(chunk.body)
        return main

    def _declare(self, node: object, names: tuple[str, ...] | list[str], attribs: tuple[str, ...] = ()) -> list[Var]:
        vs = []
        for i, name in enumerate(names):
            attrib = attribs[i] if i < len(attribs) else ""
            v = Var(name, f"{_pyident(name)}_{next(self._counter)}", self._func, attrib,
                    region=len(self._open))
            self._scopes[-1][name] = v
            vs.append(v)
            if attrib == "close":
                self._func.has_tbc = True
        self.decl.setdefault(id(node), []).extend(vs)
        return vs

    def _lookup(self, name: str) -> Var | None:
        for scope in reversed(self._scopes):
            v = scope.get(name)
            if v is not None:
                return v
        return None

    def name(self, node: N.Name) -> None:
        v = self._lookup(node.name)
        self.ref[id(node)] = v
        if v is not None:
            self._use(v)
        else:
            env = self._lookup("_ENV")
            if env is not None:
                self.envref[id(node)] = env
                self._use(env)
            else:
                self._func.use_env()

    def _use(self, v: Var) -> None:
        if v.func is not self._func:
            v.captured = True
            self._func.use_upval(v)
        for r in self._open[v.region:]:  # outlined regions entered since v was declared
            r.vars[v] = None  # (its own function's local, or an upvalue) passed in as a cell
            v.captured = True

    def block(self, body: tuple, new_scope: bool = True, nest: tuple[int, int] = (0, 0)) -> None:
        if new_scope:
            self._scopes.append({})
        indent, blocks = self._indent, self._blocks
        self._indent += nest[0]
        self._blocks += nest[1]
        if any(type(st) is N.Label for st in body):  # a goto dispatch loop: while + if
            self._indent += 2
            self._blocks += 1
        for st in body:
            self.stmt(st)
            if type(st) is N.Local and "close" in st.attribs:  # try: around the rest
                self._indent += 1
                self._blocks += 2
        self._indent, self._blocks = indent, blocks
        if new_scope:
            self._scopes.pop()

    def function(self, fn: N.Function) -> None:
        info = FuncInfo(fn, self._func, len(self.funcs) + 1)
        self.funcs[id(fn)] = info
        saved, saved_scopes, saved_nest = self._func, self._scopes, (self._indent, self._blocks)
        self._func = info
        self._scopes = saved_scopes + [{}]
        self._indent = self._blocks = 0
        self._declare(fn, fn.params)
        self.block(fn.body, new_scope=False)
        self._func, self._scopes = saved, saved_scopes
        self._indent, self._blocks = saved_nest

    def stmt(self, st: object) -> None:
        nest = _NEST.get(type(st))
        if nest is not None and (self._indent + nest[0] > OUTLINE_INDENT
                                 or self._blocks + nest[1] > OUTLINE_BLOCKS):
            has_return = _closed(st)
            if has_return is not None:
                region = Region(st, self._func, len(self.regions), has_return=has_return)
                self.regions[id(st)] = region
                self._open.append(region)
                saved = self._indent, self._blocks
                self._indent = self._blocks = 0
                self._stmt(st)
                self._indent, self._blocks = saved
                self._open.pop()
                return
        self._stmt(st)

    def _stmt(self, st: object) -> None:
        t = type(st)
        if t is N.Local:
            for e in st.exprs:
                self.expr(e)
            self._declare(st, st.names, st.attribs)
        elif t is N.Assign:
            for tg in st.targets:
                self.expr(tg)
                if type(tg) is N.Name and tg.name == "_ENV" and self.ref.get(id(tg)) is None:
                    self.env_assigned = True
            for e in st.exprs:
                self.expr(e)
        elif t is N.CallStat:
            self.expr(st.call)
        elif t is N.Do:
            self.block(st.body, nest=_NEST[t])
        elif t is N.While:
            self.expr(st.cond)
            self.block(st.body, nest=_NEST[t])
        elif t is N.Repeat:
            self._scopes.append({})
            self.block(st.body, new_scope=False, nest=_NEST[t])
            self.expr(st.cond)
            self._scopes.pop()
        elif t is N.If:
            for cond, body in st.tests:
                self.expr(cond)
                self.block(body, nest=_NEST[t])
            if st.orelse is not None:
                self.block(st.orelse, nest=_NEST[t])
        elif t is N.NumFor:
            self.expr(st.start)
            self.expr(st.stop)
            if st.step is not None:
                self.expr(st.step)
            self._scopes.append({})
            self._declare(st, (st.var,))
            self.block(st.body, nest=_NEST[t])
            self._scopes.pop()
        elif t is N.GenFor:
            for e in st.exprs:
                self.expr(e)
            self._scopes.append({})
            self._declare(st, st.names)
            self.block(st.body, nest=_NEST[t])
            self._scopes.pop()
        elif t is N.FunctionStat:
            self.expr(st.target)
            self.function(st.func)
        elif t is N.LocalFunction:
            self._declare(st, (st.name,))
            self.function(st.func)
        elif t is N.Return:
            for e in st.exprs:
                self.expr(e)
        # Break, Goto, Label: nothing to bind

    def expr(self, e: object) -> None:
        # Iterative over left-deep operator chains so 50,000-term expressions don't recurse.
        stack = [e]
        while stack:
            e = stack.pop()
            t = type(e)
            if t is N.Name:
                self.name(e)
            elif t is N.BinOp:
                stack.append(e.right)
                stack.append(e.left)
            elif t is N.UnOp:
                stack.append(e.operand)
            elif t is N.Paren:
                stack.append(e.expr)
            elif t is N.Index:
                stack.append(e.key)
                stack.append(e.obj)
            elif t is N.Call:
                stack.extend(reversed(e.args))
                stack.append(e.func)
            elif t is N.MethodCall:
                stack.extend(reversed(e.args))
                stack.append(e.obj)
            elif t is N.Function:
                self.function(e)
            elif t is N.Table:
                for f in reversed(e.fields):
                    stack.append(f.value)
                    if f.key is not None:
                        stack.append(f.key)
            elif t is N.Vararg:
                pass


def _closed(st: object) -> bool | None:
    """None if a ``break`` or ``goto`` in ``st`` leaves it; else whether it has a ``return``."""
    has_return = False
    # (statement, loops open inside st around it, labels visible inside st)
    todo: list[tuple[object, int, frozenset[str]]] = [(st, 0, frozenset())]
    while todo:
        s, loops, labels = todo.pop()
        t = type(s)
        if t is N.Break:
            if not loops:
                return None
        elif t is N.Goto:
            if s.label not in labels:
                return None
        elif t is N.Return:
            has_return = True
        else:
            inner = loops + (t in (N.While, N.Repeat, N.NumFor, N.GenFor))
            bodies: list[tuple] = []
            if t in (N.Do, N.While, N.Repeat, N.NumFor, N.GenFor):
                bodies.append(s.body)
            elif t is N.If:
                bodies.extend(body for _, body in s.tests)
                if s.orelse is not None:
                    bodies.append(s.orelse)
            for body in bodies:
                seen = labels | {x.name for x in body if type(x) is N.Label}
                todo.extend((x, inner, seen) for x in body)
    return has_return


def _pyident(name: str) -> str:
    return name if name.isidentifier() else "v"
