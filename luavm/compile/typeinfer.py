"""Static number types for locals, so the compiler can drop type checks it can prove useless.

A local that is never captured by a closure and is only ever assigned integers (literals,
integer loop variables, integer arithmetic on such values) is an ``INT`` everywhere it is read;
likewise ``FLT``. ``NUM`` means "int or float, unknown which"; ``ANY`` anything. The analysis
is an optimistic fixpoint per function: every candidate starts at bottom (``None``) and only
rises, so it terminates. Soundness rests on Lua's scoping: a local is only readable after its
declaration, which is one of the collected assignments.

Only arithmetic that stays a number whatever the values is typed (+ - * // % on numbers
always give numbers, wrapping or raising otherwise), so the compiler's fast paths remain exact.
"""

from __future__ import annotations

from typing import Any, Callable

from luavm.compile import nodes as N

INT, FLT, NUM, BOOL, ANY = "int", "float", "num", "bool", "any"
NUMERIC = (INT, FLT, NUM)


def join(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None or a == b:
        return a
    if a in NUMERIC and b in NUMERIC:
        return NUM
    return ANY


def arith_type(op: str, ta: str | None, tb: str | None) -> str | None:
    """The type of ``a op b`` given operand types (None = not known yet, optimistic)."""
    if ta is None or tb is None:
        return None
    if ta not in NUMERIC or tb not in NUMERIC:
        return ANY
    if op in ("+", "-", "*", "//", "%"):
        if ta == INT and tb == INT:
            return INT
        if ta == FLT or tb == FLT:
            return FLT
        return NUM
    if op in ("/", "^"):
        return FLT
    if op in ("&", "|", "~", "<<", ">>"):
        return INT
    return ANY


class TypeEnv:
    """Expression types under the current local-variable types."""

    def __init__(self, local_type: Callable[[N.Name], str | None]):
        self.local_type = local_type
        self.cache: dict[int, str | None] | None = None

    def etype(self, e: Any) -> str | None:
        if self.cache is not None:
            r = self.cache.get(id(e), False)
            if r is not False:
                return r
        r = self._etype(e)
        if self.cache is not None:
            self.cache[id(e)] = r
        return r

    def _etype(self, e: Any) -> str | None:
        t = type(e)
        if t is N.Number:
            return INT if type(e.value) is int else FLT
        if t is N.Name:
            return self.local_type(e)
        if t is N.Paren:
            return self.etype(e.expr)
        if t is N.BinOp:
            op = e.op
            if op in ("==", "~=", "<", "<=", ">", ">="):
                return BOOL
            if op in ("and", "or", ".."):
                return ANY
            # left-deep chains iteratively: a + b + c + ... (50,000 terms must not recurse)
            chain = []
            node = e
            while type(node) is N.BinOp and node.op not in ("==", "~=", "<", "<=", ">", ">=", "and", "or", ".."):
                chain.append(node)
                node = node.left
            acc = self.etype(node)
            for n in reversed(chain):
                acc = arith_type(n.op, acc, self.etype(n.right))
            return acc
        if t is N.UnOp:
            if e.op == "not":
                return BOOL
            ot = self.etype(e.operand)
            if ot is None:
                return None
            if e.op == "-":
                return ot if ot in NUMERIC else ANY
            if e.op == "~":
                return INT if ot in NUMERIC else ANY
            return ANY
        if t in (N.TrueLit, N.FalseLit):
            return BOOL
        return ANY


def infer_function(params: list, body: tuple, ref: dict, decl: dict, owner: Any) -> None:
    """Set ``vtype`` on the non-captured locals declared in one function body."""
    assigns: list[tuple[Any, Any]] = []  # (var, expr | type string)

    def local_of(name: N.Name) -> Any:
        v = ref.get(id(name))
        if v is not None and not v.captured and v.func is owner:
            return v
        return None

    def adjust(vars_: list, exprs: tuple) -> None:
        n = len(exprs)
        multi = n and type(exprs[-1]) in (N.Call, N.MethodCall, N.Vararg)
        for i, v in enumerate(vars_):
            if v is None:
                continue
            if i < n and not (multi and i == n - 1):
                assigns.append((v, exprs[i]))
            else:
                assigns.append((v, ANY))

    def walk(stmts: tuple) -> None:
        for st in stmts:
            t = type(st)
            if t is N.Local:
                vs = [v if not v.captured else None for v in decl.get(id(st), [])]
                adjust(vs, st.exprs)
            elif t is N.Assign:
                vs = [local_of(tg) if type(tg) is N.Name else None for tg in st.targets]
                adjust(vs, st.exprs)
            elif t is N.NumFor:
                (v,) = decl[id(st)]
                if not v.captured:
                    assigns.append((v, ("for", st.start, st.step)))
                walk(st.body)
            elif t is N.GenFor:
                for v in decl[id(st)]:
                    assigns.append((v, ANY))
                walk(st.body)
            elif t is N.LocalFunction:
                for v in decl.get(id(st), []):
                    assigns.append((v, ANY))
            elif t in (N.Do, N.While, N.Repeat):
                walk(st.body)
            elif t is N.If:
                for _, b in st.tests:
                    walk(b)
                if st.orelse:
                    walk(st.orelse)

    for v in params:
        assigns.append((v, ANY))
    walk(body)
    candidates = {id(v): v for v, _ in assigns}
    for v in candidates.values():
        v.vtype = None
    env = TypeEnv(lambda name: (lv.vtype if (lv := local_of(name)) is not None else ANY))

    def value_type(src: Any) -> str | None:
        if isinstance(src, str):
            return src
        if type(src) is tuple:  # numeric for: int loop iff start and step are ints
            ts = env.etype(src[1])
            tstep = INT if src[2] is None else env.etype(src[2])
            if ts is None or tstep is None:
                return None
            if ts == INT and tstep == INT:
                return INT
            if ts == FLT or tstep == FLT:
                return FLT
            return NUM
        return env.etype(src)

    for _ in range(50):
        changed = False
        for v, src in assigns:
            nt = join(v.vtype, value_type(src))
            if nt != v.vtype:
                v.vtype = nt
                changed = True
        if not changed:
            break
    else:
        for v in candidates.values():
            v.vtype = ANY
    for v in candidates.values():
        if v.vtype is None:
            v.vtype = ANY
