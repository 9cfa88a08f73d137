"""Compile-time checks PUC Lua 5.4 makes while parsing, run over the finished AST.

lparser.c reports these as syntax errors; they need scopes, so they run after the grammar:
  * ``break outside loop at line N`` and ``no visible label 'x' for <goto> at line N``
    (when the enclosing function closes, for its first pending jump);
  * ``label 'x' already defined on line N`` and
    ``<goto x> at line N jumps into the scope of local 'y'`` (when the label is declared);
  * ``attempt to assign to const variable 'x'`` (``<const>`` and ``<close>`` locals);
  * ``cannot use '...' outside a vararg function near '...'``;
  * ``unknown attribute 'x'`` and ``multiple to-be-closed variables in local list``, found
    by the parser but reported here (``deferred``) so that errors come out in program order;
  * ``too many local variables (limit is 200) in main function near 'x'`` (MAXVARS: locals
    in scope in one function, loops' hidden state included), at the token after the name;
  * ``C stack overflow``: PUC's parser recurses once per statement nesting, per
    sub-expression (a right-associative ``..`` or ``^`` chain included) and per extra target of a
    multiple assignment (LUAI_MAXCCALLS); the same levels are counted here so that exactly the
    programs PUC rejects are rejected;
  * ``function or expression needs too many registers``: a call's function and arguments, or a
    return's values, on top of the active locals, need 255 registers or more (MAXREGS).

The walk follows lparser.c's single pass (statements in order, a nested function's body where
the function appears) so the first error found is the one PUC reports. It recurses on
nothing: a driver runs generators (one per function, block or expression) from an explicit
stack, because expressions (``1 + 1 + ...``) can be tens of thousands of nodes deep.

Each error names the line where PUC notices it: often the token *after* a construct, which
the parser records in ``after`` (id of a node -> that line).
"""

from __future__ import annotations

from typing import Iterator, Mapping

from luavm.compile import nodes as N
from luavm.errors import LuaSyntaxError
from luavm.compile.lexer import C_STACK_OVERFLOW, MAX_LEVELS, syntax_error

__all__ = ["check_chunk"]

_LEAVES = (N.Nil, N.TrueLit, N.FalseLit, N.Number, N.String, N.Name)
# lparser.c declares hidden locals for loops' internal state: they count in goto scopes.
_NUMFOR_HIDDEN = ("(for state)",) * 3
_GENFOR_HIDDEN = ("(for state)",) * 4
MAXVARS = 200  # lparser.c: locals active in one function
MAXREGS = 255  # lcode.c: registers of one function


class _Block:
    __slots__ = ("nactvar", "first_label", "first_goto", "is_loop", "outermost")

    def __init__(self, nactvar: int, first_label: int, first_goto: int, is_loop: bool, outermost: bool):
        self.nactvar = nactvar
        self.first_label = first_label
        self.first_goto = first_goto
        self.is_loop = is_loop
        self.outermost = outermost


class _Func:
    """lparser.c FuncState, reduced to what the checks need."""

    __slots__ = ("parent", "is_vararg", "actvars", "labels", "gotos", "blocks", "line")

    def __init__(self, parent: _Func | None, is_vararg: bool, line: int = 0):
        self.parent = parent
        self.is_vararg = is_vararg
        self.line = line  # linedefined; 0 for the main chunk
        self.actvars: list[tuple[str, str]] = []  # active locals: (name, attrib)
        self.labels: list[tuple[str, int, int]] = []  # active labels: (name, line, nactvar)
        self.gotos: list[list] = []  # pending jumps: [name, line, nactvar]
        self.blocks: list[_Block] = []


def check_chunk(chunk: N.Chunk, after: Mapping[int, int],
                deferred: Mapping[int, tuple[int, str]] | None = None, *,
                horizon: int | None = None, decl_near: Mapping[int, tuple] | None = None) -> None:
    """Raise LuaSyntaxError for the first compile-time error PUC Lua would report.

    ``deferred`` maps ``id(Local)`` to (line, message) for a bad attribute list. With
    ``horizon``, an error PUC would notice on a line >= horizon ends the check quietly (the
    parser uses it on programs it completed with made-up tokens after a syntax error).
    ``decl_near`` maps a declaring node to (line, near text) per local it declares.
    """
    try:
        _Checker(chunk.name, after, deferred or {}, horizon, decl_near or {}).run(chunk)
    except _Beyond:
        pass


class _Beyond(Exception):
    """The first error lies past the horizon."""


class _Checker:
    def __init__(self, chunkname: str, after: Mapping[int, int],
                 deferred: Mapping[int, tuple[int, str]], horizon: int | None = None,
                 decl_near: Mapping[int, tuple] | None = None):
        self.chunkname = chunkname
        self.decl_near = decl_near or {}
        self.after = after
        self.deferred = deferred
        self.horizon = horizon
        self.fs: _Func | None = None

    def error(self, line: int, msg: str) -> Exception:
        if self.horizon is not None and line >= self.horizon:
            return _Beyond()
        return syntax_error(self.chunkname, line, msg)

    def run(self, chunk: N.Chunk) -> None:
        stack: list[Iterator] = [self._function((), True, chunk.body, 0, chunk.end_line, chunk)]
        while stack:  # the trampoline: a generator yields the generator it needs run first
            try:
                child = next(stack[-1])
            except StopIteration:
                stack.pop()
                continue
            stack.append(child)

    # ------------------------------------------------------------ functions and blocks

    def _function(self, params: tuple[str, ...], is_vararg: bool, body: tuple, level: int,
                  close_line: int, node: object) -> Iterator:
        fs = _Func(self.fs, is_vararg, getattr(node, "line", 0) if type(node) is N.Function else 0)
        self.fs = fs
        self._enter(False, outermost=True)
        for i, p in enumerate(params):
            self._new_local(node, i, 0)
            fs.actvars.append((p, ""))
        yield self._stats(body, level + 1, True)
        self._leave(close_line)
        self.fs = fs.parent

    def _new_local(self, node: object, i: int, pending: int, hidden: int = 0) -> None:
        """new_localvar() for the i-th local ``node`` declares, ``pending`` declared before it
        but not active yet, plus ``hidden`` loop state declared with it: MAXVARS."""
        fs = self.fs
        if len(fs.actvars) + pending + hidden + 1 <= MAXVARS:
            return
        near = self.decl_near.get(id(node), ())
        if i >= len(near) or near[i] is None:
            return  # not recorded (made-up tokens after a syntax error)
        line, text = near[i]
        where = "main function" if fs.line == 0 else "function at line %d" % fs.line
        raise self.error(line, "too many local variables (limit is %d) in %s near %s" % (MAXVARS, where, text))

    def _enter(self, is_loop: bool, outermost: bool = False) -> None:
        fs = self.fs
        fs.blocks.append(_Block(len(fs.actvars), len(fs.labels), len(fs.gotos), is_loop, outermost))

    def _leave(self, close_line: int = 0) -> None:
        """leaveblock(): resolve 'break's, drop the block's labels, move pending gotos out."""
        fs = self.fs
        bl = fs.blocks.pop()
        del fs.actvars[bl.nactvar:]
        if bl.is_loop:  # breaks jump to the loop's end: never into a local's scope
            fs.gotos[bl.first_goto:] = [g for g in fs.gotos[bl.first_goto:] if g[0] != "break"]
        del fs.labels[bl.first_label:]
        pending = fs.gotos[bl.first_goto:]
        if not bl.outermost:
            for g in pending:
                g[2] = bl.nactvar
        elif pending:
            name, line, _ = pending[0]
            if name == "break":
                raise self.error(close_line, "break outside loop at line %d" % line)
            raise self.error(close_line, "no visible label '%s' for <goto> at line %d" % (name, line))

    def _block(self, stats: tuple, level: int, is_loop: bool = False, hidden: tuple[str, ...] = (),
               names: tuple[str, ...] = (), until: N.Expr | None = None) -> Iterator:
        self._enter(is_loop)
        fs = self.fs
        fs.actvars.extend((n, "") for n in hidden)
        fs.actvars.extend((n, "") for n in names)
        # a label that ends a block sees its locals as dead, except before 'until'
        yield self._stats(stats, level, until is None)
        if until is not None and (level > MAX_LEVELS or type(until) not in _LEAVES):
            yield self._expr(until, level)
        self._leave()

    def _stats(self, stats: tuple, level: int, labels_may_end: bool) -> Iterator:
        """Statements at C level ``level`` (each statement is one level of lparser.c)."""
        if level > MAX_LEVELS and stats:
            raise LuaSyntaxError(C_STACK_OVERFLOW)
        fs = self.fs
        sub = level + 1
        # a lone name or constant is cheap to skip, unless its own level already overflows
        leaves = _LEAVES if sub <= MAX_LEVELS else ()
        i = 0
        n = len(stats)
        while i < n:
            st = stats[i]
            t = type(st)
            if t is N.Label:
                # labelstat() parses the labels that follow before declaring its own
                j = i + 1
                while j < n and type(stats[j]) is N.Label:
                    j += 1
                last = j == n and labels_may_end
                line = self.after.get(id(stats[j - 1]), st.line)
                for k in range(j - 1, i - 1, -1):
                    self._label(stats[k], last, line)
                i = j
                continue
            i += 1
            if t is N.Local:
                for k in range(len(st.names)):  # declared while the names are read
                    self._new_local(st, k, k)
                bad = self.deferred.get(id(st))
                if bad is not None:
                    raise self.error(*bad)
                for e in st.exprs:
                    if type(e) not in leaves:
                        yield self._expr(e, sub)
                fs.actvars.extend(zip(st.names, st.attribs))
            elif t is N.Assign:
                # restassign recurses once per extra target: target k is parsed k levels deeper
                for k, target in enumerate(st.targets):
                    if level + k > MAX_LEVELS:
                        raise LuaSyntaxError(C_STACK_OVERFLOW)
                    if type(target) is N.Name:
                        self._check_assign(target.name, self.after.get(id(target), target.line))
                    else:
                        yield self._expr(target, level + k)
                deep = level + len(st.targets)
                for e in st.exprs:
                    if deep > MAX_LEVELS or type(e) not in leaves:
                        yield self._expr(e, deep)
            elif t is N.CallStat:
                yield self._expr(st.call, level)
            elif t is N.If:
                for cond, body in st.tests:
                    if type(cond) not in leaves:
                        yield self._expr(cond, sub)
                    yield self._block(body, sub)
                if st.orelse is not None:
                    yield self._block(st.orelse, sub)
            elif t is N.While:
                if type(st.cond) not in leaves:
                    yield self._expr(st.cond, sub)
                yield self._block(st.body, sub, is_loop=True)
            elif t is N.Do:
                yield self._block(st.body, sub)
            elif t is N.NumFor:
                for e in (st.start, st.stop, st.step):
                    if e is not None and type(e) not in leaves:
                        yield self._expr(e, sub)
                self._new_local(st, 0, 0, len(_NUMFOR_HIDDEN))
                yield self._block(st.body, sub, True, _NUMFOR_HIDDEN, (st.var,))
            elif t is N.GenFor:
                for k in range(len(st.names)):
                    self._new_local(st, k, k + len(_GENFOR_HIDDEN) * (k > 0), len(_GENFOR_HIDDEN) * (k == 0))
                for e in st.exprs:
                    if type(e) not in leaves:
                        yield self._expr(e, sub)
                yield self._block(st.body, sub, True, _GENFOR_HIDDEN, st.names)
            elif t is N.Repeat:
                yield self._block(st.body, sub, is_loop=True, until=st.cond)
            elif t is N.FunctionStat:
                fn = st.func
                close = self.after.get(id(fn), fn.end_line)
                yield self._function(fn.params, fn.is_vararg, fn.body, level, close, fn)
                if type(st.target) is N.Name:
                    self._check_assign(st.target.name, close)
            elif t is N.LocalFunction:
                self._new_local(st, 0, 0)
                fs.actvars.append((st.name, ""))
                fn = st.func
                yield self._function(fn.params, fn.is_vararg, fn.body, level,
                                     self.after.get(id(fn), fn.end_line), fn)
            elif t is N.Return:
                self._check_registers(st.exprs, len(fs.actvars), st.line)
                for e in st.exprs:
                    if type(e) not in leaves:
                        yield self._expr(e, sub)
            elif t is N.Break:
                fs.gotos.append(["break", st.line, len(fs.actvars)])
            elif t is N.Goto:
                if not any(lb[0] == st.label for lb in fs.labels):  # else a backward jump
                    fs.gotos.append([st.label, st.line, len(fs.actvars)])

    # ------------------------------------------------------------ labels and assignments

    def _label(self, st: N.Label, last: bool, line: int) -> None:
        fs = self.fs
        for name, defined, _ in fs.labels:
            if name == st.name:
                raise self.error(line, "label '%s' already defined on line %d" % (name, defined))
        bl = fs.blocks[-1]
        nact = bl.nactvar if last else len(fs.actvars)
        fs.labels.append((st.name, st.line, nact))
        gotos = fs.gotos
        k = bl.first_goto
        while k < len(gotos):
            g = gotos[k]
            if g[0] == st.name:
                if g[2] < nact:
                    raise self.error(line, "<goto %s> at line %d jumps into the scope of local '%s'"
                                     % (g[0], g[1], fs.actvars[g[2]][0]))
                del gotos[k]
            else:
                k += 1

    def _check_assign(self, name: str, line: int) -> None:
        fs = self.fs
        while fs is not None:
            for var, attrib in reversed(fs.actvars):
                if var == name:
                    if attrib:
                        raise self.error(line, "attempt to assign to const variable '%s'" % name)
                    return
            fs = fs.parent

    def _check_registers(self, values: tuple, base: int, line: int) -> None:
        """``values`` pushed on top of ``base`` registers: PUC fails when discharging the value
        that reaches MAXREGS, near the token after it (reported here for simple tokens only)."""
        k = MAXREGS - base  # 1-based index of the value that does not fit
        if k > len(values):
            return
        nxt = values[k] if k < len(values) else None
        near = ""
        if type(nxt) is N.Name:
            near = f" near '{nxt.name}'"
        elif type(nxt) is N.Number and type(nxt.value) is int and nxt.value >= 0:
            near = f" near '{nxt.value}'"
        raise self.error(getattr(nxt, "line", line) or line,
                         "function or expression needs too many registers" + near)

    # ------------------------------------------------------------ expressions

    def _expr(self, root: N.Expr, level: int) -> Iterator:
        """Visit an expression parsed at C level ``level``, in source order, without recursion.

        Levels follow lparser.c: a sub-expression (parenthesized, argument, index, field, the
        right operand of a binary operator, the operand of a unary one) is one level deeper.
        """
        todo = [(root, level)]
        pop = todo.pop
        push = todo.append
        while todo:
            e, lv = pop()
            if lv > MAX_LEVELS:
                raise LuaSyntaxError(C_STACK_OVERFLOW)
            t = type(e)
            if t is N.BinOp:
                right = e.right
                push((right, lv + 1))
                push((e.left, lv))
            elif t is N.Index:
                push((e.key, lv + 1))
                push((e.obj, lv))
            elif t is N.Call:
                self._check_registers(e.args, len(self.fs.actvars) + 1, e.line)
                for a in reversed(e.args):
                    push((a, lv + 1))
                push((e.func, lv))
            elif t is N.MethodCall:
                self._check_registers(e.args, len(self.fs.actvars) + 2, e.line)
                for a in reversed(e.args):
                    push((a, lv + 1))
                push((e.obj, lv))
            elif t is N.UnOp:
                push((e.operand, lv + 1))
            elif t is N.Paren:
                push((e.expr, lv + 1))
            elif t is N.Table:
                for f in reversed(e.fields):
                    push((f.value, lv + 1))
                    if f.key is not None:
                        push((f.key, lv + 1))
            elif t is N.Function:
                yield self._function(e.params, e.is_vararg, e.body, lv, self.after.get(id(e), e.end_line), e)
            elif t is N.Vararg:
                if not self.fs.is_vararg:
                    raise self.error(e.line, "cannot use '...' outside a vararg function near '...'")
